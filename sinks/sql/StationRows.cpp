#include "StationRows.h"

#include <Poco/Data/Statement.h>
#include <Poco/Nullable.h>

#include <stdexcept>

namespace citysense::sql {

using namespace Poco::Data::Keywords;

namespace {

// MariaDB: a locking read sees the row as last committed. A plain SELECT reads the transaction's
// snapshot, which misses a row another writer (a second ingest) committed after the snapshot was taken,
// though the INSERT before it found that row's key taken.
std::string latest(bool sqlite, const std::string& select) {
    return sqlite ? select : select + " LOCK IN SHARE MODE";
}

/// Ids start at 1: 0 is no row, which must never become a reading's sensor.
std::int64_t found(std::int64_t id, const std::string& what) {
    if (id == 0)
        throw std::runtime_error("the " + what + " row was neither made nor found");
    return id;
}

}  // namespace

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
    session << latest(sqlite, "SELECT id FROM stations WHERE system = ? AND city = ? AND street = ?"),
        into(id), bind(station.system), bind(station.city), bind(station.street), now;
    return found(id, "station " + station.system + "/" + station.city + "/" + station.street);
}

std::int64_t sensorRow(Poco::Data::Session& session, bool sqlite, std::int64_t station, Quantity quantity,
                       const std::string& driver) {
    const QuantityInfo& row = info(quantity);
    session << insertUnlessPresent(sqlite, "sensors (station_id, quantity, unit, driver) VALUES (?, ?, ?, ?)",
                                   "id"),
        bind(station), bind(std::string(row.name)), bind(std::string(row.unit)), bind(driver), now;
    std::int64_t id = 0;
    session << latest(sqlite, "SELECT id FROM sensors WHERE station_id = ? AND quantity = ? AND driver = ?"),
        into(id), bind(station), bind(std::string(row.name)), bind(driver), now;
    return found(id, std::string(row.name) + " sensor of " + driver);
}

}  // namespace citysense::sql
