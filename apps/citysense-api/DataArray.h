// The dataArray result format of Observations (SensorThings 1.1, 14.3): a page of readings as one
// object per Datastream with the names of its columns ("components") and one array of values per
// reading, instead of one JSON object per reading.
#pragma once

#include "EntityJson.h"
#include "ReadingsStore.h"

#include <Poco/JSON/Array.h>

#include <string>
#include <vector>

namespace citysense::api {

/// The components of the dataArray: those of $select (the JSON keys selectedKeys() gave for
/// Observations), or, when none are selected, id, phenomenonTime, resultTime and result. Throws
/// QueryError("$select", 0, ...) for a selected key that is not a column (a navigation link).
std::vector<std::string> dataArrayComponents(const std::vector<std::string>& selected);

/// The "value" of a page: the first `most` of `rows`, one object per Datastream in the order of its
/// first reading on the page, its readings in page order:
/// {"Datastream@iot.navigationLink": ".../Datastreams(3)", "components": [...],
///  "dataArray@iot.count": 2, "dataArray": [["3-1764000000123456", "2025-11-24T16:00:00.123456Z", ...], ...]}
Poco::JSON::Array::Ptr dataArrayValue(const EntityJson& json, const std::vector<ReadingRow>& rows,
                                      std::size_t most, const std::vector<std::string>& components);

}  // namespace citysense::api
