// What one request may read of the store, applied in one place: ReadingsStore::run() hands every query
// to restrictedQuery(), which replaces each table the query reads (readings, sensors, stations) by a
// SELECT of the rows the request may see. So every answer built on readings (Observations, $expand,
// dataArray, CSV exports, the air-quality inputs, /latest.geojson) keeps to the embargo, and a key
// limited to some stations sees nothing of the others, as if they were not there (a 404 for one of
// them). The limits reach the database as bound values only.
//
// The limits of the request a thread answers are set for that thread by a ReadingsAccessScope (a
// request is answered by one thread, start to end); a thread without one reads everything.
#pragma once

#include "BoundQuery.h"

#include <citysense/Time.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

namespace citysense::api {

struct ReadingsAccess {
    std::optional<Micros> readingsBefore;               ///< only readings with an earlier time
    std::optional<std::vector<std::int64_t>> stations;  ///< only these stations (none: every one)

    bool restricts() const { return readingsBefore || stations; }
};

/// Sets the limits of the requests' reads on this thread while it lives.
class ReadingsAccessScope {
public:
    explicit ReadingsAccessScope(const ReadingsAccess& access);
    ~ReadingsAccessScope();
    ReadingsAccessScope(const ReadingsAccessScope&) = delete;
    ReadingsAccessScope& operator=(const ReadingsAccessScope&) = delete;

    /// The limits set on this thread; nullptr when none are.
    static const ReadingsAccess* current();

private:
    const ReadingsAccess* _previous;
};

/// `query` reading only what `access` allows; `bindTime` binds a time as the store's dialect compares
/// it with readings.time.
BoundQuery restrictedQuery(const BoundQuery& query, const ReadingsAccess& access,
                           const std::function<void(BoundQuery&, Micros)>& bindTime);

}  // namespace citysense::api
