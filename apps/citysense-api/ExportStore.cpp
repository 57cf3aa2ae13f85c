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
    std::vector<ReadingRow> rows;
    for (const Row& row : _store.run(query)) {
        rows.push_back({{sensor, row[0].convert<Poco::Int64>()},
                        row[1].convert<double>(),
                        static_cast<std::uint16_t>(row[2].convert<Poco::Int64>())});
    }
    return rows;
}

}  // namespace citysense::api
