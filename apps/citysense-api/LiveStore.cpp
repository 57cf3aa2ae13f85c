#include "LiveStore.h"

namespace citysense::api {

std::optional<LiveIds> LiveStore::find(const Station& station, Quantity quantity) {
    BoundQuery query;
    query.sql("SELECT s.id, st.id FROM sensors s JOIN stations st ON st.id = s.station_id WHERE st.system = ")
        .value(station.system)
        .sql(" AND st.city = ")
        .value(station.city)
        .sql(" AND st.street = ")
        .value(station.street)
        .sql(" AND s.quantity = ")
        .value(std::string(info(quantity).name));
    if (!_driver.empty())
        query.sql(" AND s.driver = ").value(_driver);
    query.sql(" ORDER BY s.id LIMIT 1");
    const Rows rows = _store.run(query);
    if (rows.empty())
        return std::nullopt;
    return LiveIds{rows[0][0].convert<std::int64_t>(), rows[0][1].convert<std::int64_t>()};
}

}  // namespace citysense::api
