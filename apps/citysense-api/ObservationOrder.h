// The order of an Observations collection ($orderby) and the $skiptoken of its pages. Every order is a
// total order that ends in the readings key: time then sensor, or result then time then sensor, all
// ascending or all descending. So a page continues after the last reading of the page before (keyset
// paging), which stays correct while readings are added, whatever the order.
#pragma once

#include "SensingModel.h"
#include "query/QueryOptions.h"

#include <string>
#include <vector>

namespace citysense::api {

struct ObservationOrder {
    bool byResult = false;  ///< result, then time; otherwise time (phenomenonTime = resultTime here)
    bool descending = false;
};

/// Reads $orderby for Observations: none (time ascending); phenomenonTime or resultTime; result; each
/// asc or desc, optionally followed by the time in the same direction. Throws QueryError("$orderby", 0,
/// ...) for any other order, saying that its pages could not be continued correctly.
ObservationOrder observationOrder(const std::vector<OrderBy>& orderBy);

/// Where a page of Observations ends: its last reading's key, and its result when ordered by result.
struct ObservationCursor {
    ObservationKey key;
    double result = 0.0;
};

/// "3-1764000000123456" in time order; "21.5~3-1764000000123456" in result order.
std::string cursorToken(const ObservationOrder& order, const ObservationCursor& cursor);

/// Reads cursorToken()'s text; throws QueryError("$skiptoken", 0, ...) for a token this service would
/// not have written for `order`.
ObservationCursor parseCursorToken(const ObservationOrder& order, const std::string& token);

}  // namespace citysense::api
