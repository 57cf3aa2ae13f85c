#include "StationRows.h"

#include <Poco/Data/Statement.h>
#include <Poco/Nullable.h>

namespace citysense::sql {

using namespace Poco::Data::Keywords;

std::string insertUnlessPresent(bool sqlite, const std::string& into, const std::string& keyColumn) {
    return "INSERT INTO " + into +
           (sqlite ? " ON CONFLICT DO NOTHING" : " ON DUPLICATE KEY UPDATE " + keyColumn + " = " + keyColumn);
}

std::int64_t stationRow(Poco::Data::Session& session, bool sqlite, const Station& station) {
    Poco::Nullable<double> latitude, longitude;
    if (station.hasPosition) {
        latitude = station.latitude;
        longitude = station.longitude;
    }
    session << insertUnlessPresent(
        sqlite, "stations (system, city, street, latitude, longitude) VALUES (?, ?, ?, ?, ?)", "id"),
        bind(station.system), bind(station.city), bind(station.street), bind(latitude), bind(longitude), now;
    std::int64_t id = 0;
    session << "SELECT id FROM stations WHERE system = ? AND city = ? AND street = ?", into(id),
        bind(station.system), bind(station.city), bind(station.street), now;
    return id;
}

std::int64_t sensorRow(Poco::Data::Session& session, bool sqlite, std::int64_t station, Quantity quantity,
                       const std::string& driver) {
    const QuantityInfo& row = info(quantity);
    session << insertUnlessPresent(sqlite, "sensors (station_id, quantity, unit, driver) VALUES (?, ?, ?, ?)",
                                   "id"),
        bind(station), bind(std::string(row.name)), bind(std::string(row.unit)), bind(driver), now;
    std::int64_t id = 0;
    session << "SELECT id FROM sensors WHERE station_id = ? AND quantity = ? AND driver = ?", into(id),
        bind(station), bind(std::string(row.name)), bind(driver), now;
    return id;
}

}  // namespace citysense::sql
