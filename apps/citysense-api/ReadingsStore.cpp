#include "ReadingsStore.h"

#include <citysense/Quantity.h>

#include <Poco/Data/MySQL/Connector.h>
#include <Poco/Data/SQLite/Connector.h>
#include <Poco/URI.h>

#include <algorithm>
#include <filesystem>
#include <mutex>

namespace citysense::api {

namespace {

void registerConnectors() {
    static std::once_flag once;
    std::call_once(once, [] {
        Poco::Data::MySQL::Connector::registerConnector();
        Poco::Data::SQLite::Connector::registerConnector();
    });
}

std::int64_t whole(const Poco::Data::RecordSet& rows, std::size_t column, std::size_t row) {
    return rows.value(column, row).convert<Poco::Int64>();
}

std::string text(const Poco::Data::RecordSet& rows, std::size_t column, std::size_t row) {
    return rows.value(column, row).convert<std::string>();
}

std::optional<double> optionalNumber(const Poco::Data::RecordSet& rows, std::size_t column, std::size_t row) {
    if (rows.isNull(column, row))
        return std::nullopt;
    return rows.value(column, row).convert<double>();
}

/// `condition AND id > after ORDER BY id LIMIT limit` for a query whose rows have the id column `id`.
void page(BoundQuery& query, const char* id, std::optional<std::int64_t> after, std::size_t limit) {
    if (after)
        query.sql(" AND ").sql(id).sql(" > ").value(*after);
    query.sql(" ORDER BY ").sql(id).sql(" LIMIT ").value(static_cast<std::int64_t>(limit));
}

std::optional<std::string> quantityOfObservedProperty(std::int64_t id) {
    const auto& table = quantities();
    if (id < 1 || static_cast<std::size_t>(id) > table.size())
        return std::nullopt;
    return std::string(table[static_cast<std::size_t>(id - 1)].name);
}

}  // namespace

/// The pool, with every session it opens made read-only.
class ReadingsStore::Pool : public Poco::Data::SessionPool {
public:
    Pool(bool sqlite, const std::string& connection, int sessions)
        : SessionPool(sqlite ? "sqlite" : "mysql", connection, 1, sessions), _sqlite(sqlite) {}

protected:
    void customizeSession(Poco::Data::Session& session) override {
        using Poco::Data::Keywords::now;
        if (_sqlite) {
            // The file is opened read-only (mode=ro); this also refuses writes should it not be.
            session << "PRAGMA query_only = ON", now;
            // While the ingest commits, wait for it rather than failing the request.
            session << "PRAGMA busy_timeout = 5000", now;
        } else {
            session << "SET SESSION TRANSACTION READ ONLY", now;
            session << "SET SESSION time_zone = '+00:00'", now;
        }
    }

private:
    bool _sqlite;
};

ReadingsStore::ReadingsStore(const StoreSettings& settings) : _sqlite(settings.sqlite) {
    registerConnectors();
    std::string connection = settings.connection;
    if (_sqlite) {
        std::error_code error;
        if (!std::filesystem::is_regular_file(connection, error))
            throw std::runtime_error("no SQLite readings store at " + connection);
        _description = "sqlite " + connection;
        std::string encoded;
        Poco::URI::encode(std::filesystem::absolute(connection).string(), "?#%", encoded);
        connection = "file:" + encoded + "?mode=ro";
    } else {
        _description = "mysql " + connection;
        if (!settings.password.empty())
            connection += ";password=" + settings.password;
        if (connection.find("character-set=") == std::string::npos)
            connection += ";character-set=utf8mb4";
    }
    _pool = std::make_unique<Pool>(_sqlite, connection, settings.sessions);
}

ReadingsStore::~ReadingsStore() = default;

bool ReadingsStore::reachable() {
    try {
        Poco::Data::Session session = _pool->get();
        BoundQuery().sql("SELECT COUNT(*) FROM stations WHERE id = ").value(0).run(session);
        return true;
    } catch (const Poco::Exception&) {
        return false;
    }
}

const char* ReadingsStore::timeMicros() const {
    // SQLite: "+ 0" makes Poco read the column as text, not as the 32-bit integer it may take
    // INTEGER for. MariaDB: DATETIME(6) as µs since 1970, whatever the session's time zone.
    return _sqlite ? "(r.time + 0)" : "TIMESTAMPDIFF(MICROSECOND, '1970-01-01 00:00:00', r.time)";
}

BoundQuery& ReadingsStore::time(BoundQuery& query, Micros value) const {
    return _sqlite ? query.value(std::int64_t{value}) : query.value(formatSeedTime(value));
}

std::vector<StationRow> ReadingsStore::things(const Selection& selection, std::optional<std::int64_t> after,
                                              std::size_t limit) {
    BoundQuery query;
    query.sql("SELECT id, system, city, street, latitude, longitude FROM stations WHERE 1 = 1");
    if (selection.by == Selection::By::Id)
        query.sql(" AND id = ").value(selection.key);
    else if (selection.by == Selection::By::Related && selection.related == EntityType::Location)
        query.sql(" AND latitude IS NOT NULL AND longitude IS NOT NULL AND id = ").value(selection.key);
    else if (selection.by == Selection::By::Related)
        return {};
    page(query, "id", after, limit);
    Poco::Data::Session session = _pool->get();
    const Poco::Data::RecordSet rows = query.run(session);
    std::vector<StationRow> stations;
    for (std::size_t row = 0; row < rows.rowCount(); ++row)
        stations.push_back({whole(rows, 0, row), text(rows, 1, row), text(rows, 2, row), text(rows, 3, row),
                            optionalNumber(rows, 4, row), optionalNumber(rows, 5, row)});
    return stations;
}

std::vector<StationRow> ReadingsStore::locations(const Selection& selection,
                                                 std::optional<std::int64_t> after, std::size_t limit) {
    Selection asThings = selection;
    if (selection.by == Selection::By::Related && selection.related == EntityType::Thing)
        asThings = Selection::id(selection.key);
    else if (selection.by == Selection::By::Related)
        return {};
    std::vector<StationRow> stations = things(asThings, after, limit);
    stations.erase(std::remove_if(stations.begin(), stations.end(),
                                  [](const StationRow& station) { return !station.hasPosition(); }),
                   stations.end());
    return stations;
}

std::vector<DatastreamRow> ReadingsStore::datastreams(const Selection& selection,
                                                      std::optional<std::int64_t> after, std::size_t limit) {
    BoundQuery query;
    query.sql(
        "SELECT s.id, s.station_id, st.system, st.city, st.street, s.quantity, s.unit, s.driver, "
        "(SELECT MIN(o.id) FROM sensors o WHERE o.station_id = s.station_id AND o.driver = s.driver) "
        "FROM sensors s JOIN stations st ON st.id = s.station_id WHERE 1 = 1");
    if (selection.by == Selection::By::Id) {
        query.sql(" AND s.id = ").value(selection.key);
    } else if (selection.by == Selection::By::Related) {
        switch (selection.related) {
            case EntityType::Thing:
                query.sql(" AND s.station_id = ").value(selection.key);
                break;
            case EntityType::Sensor:
                query.sql(" AND s.station_id = (SELECT station_id FROM sensors WHERE id = ")
                    .value(selection.key)
                    .sql(") AND s.driver = (SELECT driver FROM sensors WHERE id = ")
                    .value(selection.key)
                    .sql(")");
                break;
            case EntityType::ObservedProperty: {
                const auto quantity = quantityOfObservedProperty(selection.key);
                if (!quantity)
                    return {};
                query.sql(" AND s.quantity = ").value(*quantity);
                break;
            }
            default:
                return {};
        }
    }
    page(query, "s.id", after, limit);
    Poco::Data::Session session = _pool->get();
    const Poco::Data::RecordSet rows = query.run(session);
    std::vector<DatastreamRow> datastreams;
    for (std::size_t row = 0; row < rows.rowCount(); ++row)
        datastreams.push_back({whole(rows, 0, row), whole(rows, 1, row),
                               text(rows, 2, row) + "/" + text(rows, 3, row) + "/" + text(rows, 4, row),
                               text(rows, 5, row), text(rows, 6, row), text(rows, 7, row),
                               whole(rows, 8, row)});
    return datastreams;
}

std::vector<SensorRow> ReadingsStore::sensors(const Selection& selection, std::optional<std::int64_t> after,
                                              std::size_t limit) {
    BoundQuery query;
    query.sql(
        "SELECT g.id, g.station_id, st.system, st.city, st.street, g.driver FROM "
        "(SELECT MIN(id) AS id, station_id, driver FROM sensors GROUP BY station_id, driver) g "
        "JOIN stations st ON st.id = g.station_id WHERE 1 = 1");
    if (selection.by == Selection::By::Id)
        query.sql(" AND g.id = ").value(selection.key);
    else if (selection.by == Selection::By::Related)
        return {};
    page(query, "g.id", after, limit);
    Poco::Data::Session session = _pool->get();
    const Poco::Data::RecordSet rows = query.run(session);
    std::vector<SensorRow> sensors;
    for (std::size_t row = 0; row < rows.rowCount(); ++row)
        sensors.push_back({whole(rows, 0, row), whole(rows, 1, row),
                           text(rows, 2, row) + "/" + text(rows, 3, row) + "/" + text(rows, 4, row),
                           text(rows, 5, row)});
    return sensors;
}

std::vector<std::int64_t> ReadingsStore::observedProperties(const Selection& selection,
                                                            std::optional<std::int64_t> after,
                                                            std::size_t limit) {
    if (selection.by == Selection::By::Related)
        return {};
    Poco::Data::Session session = _pool->get();
    const Poco::Data::RecordSet rows = BoundQuery().sql("SELECT DISTINCT quantity FROM sensors").run(session);
    std::vector<std::int64_t> ids;
    for (std::size_t row = 0; row < rows.rowCount(); ++row) {
        if (const auto quantity = quantityByName(text(rows, 0, row)))
            ids.push_back(static_cast<std::int64_t>(*quantity) + 1);
    }
    std::sort(ids.begin(), ids.end());
    ids.erase(std::remove_if(ids.begin(), ids.end(),
                             [&](std::int64_t id) {
                                 return (after && id <= *after) ||
                                        (selection.by == Selection::By::Id && id != selection.key);
                             }),
              ids.end());
    if (ids.size() > limit)
        ids.resize(limit);
    return ids;
}

std::vector<ReadingRow> ReadingsStore::observations(const Selection& selection,
                                                    std::optional<ObservationKey> after, std::size_t limit) {
    BoundQuery query;
    query.sql("SELECT r.sensor_id, ").sql(timeMicros()).sql(", r.value, r.quality FROM readings r WHERE ");
    const bool ofDatastream =
        selection.by == Selection::By::Related && selection.related == EntityType::Datastream;
    if (selection.by != Selection::By::All && !ofDatastream)
        return {};
    if (ofDatastream) {
        // One sensor: its primary key (sensor_id, time) serves the range and the order.
        query.sql("r.sensor_id = ").value(selection.key);
        if (after)
            time(query.sql(" AND r.time > "), after->time);
        query.sql(" ORDER BY r.time");
    } else {
        query.sql("1 = 1");
        if (after) {
            time(query.sql(" AND (r.time > "), after->time);
            time(query.sql(" OR (r.time = "), after->time)
                .sql(" AND r.sensor_id > ")
                .value(after->sensor)
                .sql("))");
        }
        query.sql(" ORDER BY r.time, r.sensor_id");
    }
    query.sql(" LIMIT ").value(static_cast<std::int64_t>(limit));
    Poco::Data::Session session = _pool->get();
    const Poco::Data::RecordSet rows = query.run(session);
    std::vector<ReadingRow> readings;
    for (std::size_t row = 0; row < rows.rowCount(); ++row)
        readings.push_back({{whole(rows, 0, row), whole(rows, 1, row)},
                            rows.value(2, row).convert<double>(),
                            static_cast<std::uint16_t>(whole(rows, 3, row))});
    return readings;
}

std::optional<ReadingRow> ReadingsStore::observation(const ObservationKey& key) {
    BoundQuery query;
    query.sql("SELECT ")
        .sql(timeMicros())
        .sql(", r.value, r.quality FROM readings r WHERE r.sensor_id = ")
        .value(key.sensor);
    time(query.sql(" AND r.time = "), key.time);
    Poco::Data::Session session = _pool->get();
    const Poco::Data::RecordSet rows = query.run(session);
    if (rows.rowCount() == 0)
        return std::nullopt;
    return ReadingRow{{key.sensor, whole(rows, 0, 0)},
                      rows.value(1, 0).convert<double>(),
                      static_cast<std::uint16_t>(whole(rows, 2, 0))};
}

}  // namespace citysense::api
