#include "ReadingsAccess.h"

namespace citysense::api {

namespace {

thread_local const ReadingsAccess* currentAccess = nullptr;

/// "station_id IN (?, ?)", or a condition nothing meets for no stations.
BoundQuery& stationCondition(BoundQuery& query, const char* column,
                             const std::vector<std::int64_t>& stations) {
    if (stations.empty())
        return query.sql("1 = 0");
    query.sql(column).sql(" IN (");
    for (std::size_t at = 0; at < stations.size(); ++at)
        query.sql(at == 0 ? "" : ", ").value(stations[at]);
    return query.sql(")");
}

}  // namespace

ReadingsAccessScope::ReadingsAccessScope(const ReadingsAccess& access) : _previous(currentAccess) {
    currentAccess = &access;
}

ReadingsAccessScope::~ReadingsAccessScope() {
    currentAccess = _previous;
}

const ReadingsAccess* ReadingsAccessScope::current() {
    return currentAccess;
}

BoundQuery restrictedQuery(const BoundQuery& query, const ReadingsAccess& access,
                           const std::function<void(BoundQuery&, Micros)>& bindTime) {
    if (!access.restricts())
        return query;
    return query.replacingTables([&](const std::string& table) -> std::optional<BoundQuery> {
        BoundQuery visible;
        if (table == "readings") {
            visible.sql("(SELECT * FROM readings WHERE 1 = 1");
            if (access.readingsBefore)
                bindTime(visible.sql(" AND time < "), *access.readingsBefore);
            if (access.stations)
                stationCondition(visible.sql(" AND sensor_id IN (SELECT id FROM sensors WHERE "),
                                 "station_id", *access.stations)
                    .sql(")");
            return visible.sql(")");
        }
        if (!access.stations)
            return std::nullopt;
        if (table == "sensors")
            stationCondition(visible.sql("(SELECT * FROM sensors WHERE "), "station_id", *access.stations);
        else if (table == "stations")
            stationCondition(visible.sql("(SELECT * FROM stations WHERE "), "id", *access.stations);
        else
            return std::nullopt;
        return visible.sql(")");
    });
}

}  // namespace citysense::api
