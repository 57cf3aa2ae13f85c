#include "ExportStore.h"

namespace citysense::api {

std::vector<ReadingRow> ExportStore::readings(std::int64_t sensor, Micros from, Micros to,
                                              std::optional<Micros> after, std::size_t limit) {
    BoundQuery query;
    query.sql("SELECT ")
        .sql(_store.timeMicros())
        .sql(", r.value, r.quality FROM readings r WHERE r.sensor_id = ")
        .value(sensor);
    _store.time(query.sql(after ? " AND r.time > " : " AND r.time >= "), after ? *after : from);
    _store.time(query.sql(" AND r.time < "), to);
    query.sql(" ORDER BY r.time LIMIT ").value(static_cast<std::int64_t>(limit));
    std::vector<Poco::Int64> times, qualities;
    std::vector<double> values;
    _store.select(query, times, values, qualities);
    std::vector<ReadingRow> rows(times.size());
    for (std::size_t at = 0; at < times.size(); ++at)
        rows[at] = {{sensor, times[at]}, values[at], static_cast<std::uint16_t>(qualities[at])};
    return rows;
}

}  // namespace citysense::api
