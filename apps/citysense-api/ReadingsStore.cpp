#include "ReadingsStore.h"

#include "EntityFilter.h"
#include "GeoFilter.h"
#include "MariaDbReadings.h"
#include "ReadingsAccess.h"

#include <citysense/Quantity.h>

#include <Poco/Data/MySQL/Connector.h>
#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Nullable.h>
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

std::int64_t whole(const Row& row, std::size_t column) {
    return row[column].convert<Poco::Int64>();
}

std::string text(const Row& row, std::size_t column) {
    return row[column].convert<std::string>();
}

double number(const Row& row, std::size_t column) {
    return row[column].convert<double>();
}

std::optional<double> optional(const Poco::Nullable<double>& value) {
    return value.isNull() ? std::nullopt : std::optional<double>(value.value());
}

std::optional<double> optionalNumber(const Row& row, std::size_t column) {
    if (row[column].isEmpty())
        return std::nullopt;
    return number(row, column);
}

/// `condition AND id > after ORDER BY id LIMIT limit` for a query whose rows have the id column `id`.
void page(BoundQuery& query, const char* id, std::optional<std::int64_t> after, std::size_t limit) {
    if (after)
        query.sql(" AND ").sql(id).sql(" > ").value(*after);
    query.sql(" ORDER BY ").sql(id).sql(" LIMIT ").value(static_cast<std::int64_t>(limit));
}

/// ` AND column IN (?, ...)` of the ids of a Selection::ids(); ` AND 1 = 0` for none.
void inIds(BoundQuery& query, const char* column, const std::vector<std::int64_t>& ids) {
    if (ids.empty()) {
        query.sql(" AND 1 = 0");
        return;
    }
    query.sql(" AND ").sql(column).sql(" IN (");
    for (std::size_t at = 0; at < ids.size(); ++at)
        query.sql(at == 0 ? "" : ", ").value(ids[at]);
    query.sql(")");
}

std::optional<std::string> quantityOfObservedProperty(std::int64_t id) {
    const auto& table = quantities();
    if (id < 1 || static_cast<std::size_t>(id) > table.size())
        return std::nullopt;
    return std::string(table[static_cast<std::size_t>(id - 1)].name);
}

/// Makes a new session read-only, as every session of the store is.
void setUpSession(Poco::Data::Session& session, bool sqlite) {
    using Poco::Data::Keywords::now;
    if (sqlite) {
        // The file is opened read-only (mode=ro); this also refuses writes should it not be.
        session << "PRAGMA query_only = ON", now;
        // While the ingest commits, wait for it rather than failing the request.
        session << "PRAGMA busy_timeout = 5000", now;
    } else {
        session << "SET SESSION TRANSACTION READ ONLY", now;
        session << "SET SESSION time_zone = '+00:00'", now;
    }
}

}  // namespace

/// The pool, with every session it opens made read-only.
class ReadingsStore::Pool : public Poco::Data::SessionPool {
public:
    Pool(bool sqlite, const std::string& connection, int sessions)
        : SessionPool(sqlite ? "sqlite" : "mysql", connection, 1, sessions), _sqlite(sqlite) {}

protected:
    void customizeSession(Poco::Data::Session& session) override { setUpSession(session, _sqlite); }

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
    _connection = connection;
    _sessions = settings.sessions;
    _pool = std::make_shared<Pool>(_sqlite, _connection, _sessions);
    if (!_sqlite)
        _mariaDb = std::make_unique<MariaDbReadings>(
            _connection, [](Poco::Data::Session& session) { setUpSession(session, false); },
            static_cast<std::size_t>(std::max(_sessions, 1)));
}

ReadingsStore::~ReadingsStore() = default;

bool ReadingsStore::reachable() {
    try {
        run(BoundQuery().sql("SELECT COUNT(*) FROM stations WHERE id = ").value(0));
        return true;
    } catch (const Poco::Exception&) {
        return false;
    }
}

void ReadingsStore::onSession(const std::function<void(Poco::Data::Session&)>& work) {
    for (int attempt = 1;; ++attempt) {
        std::shared_ptr<Pool> pool;
        {
            std::lock_guard<std::mutex> lock(_poolMutex);
            pool = _pool;
        }
        try {
            Poco::Data::Session session = pool->get();
            work(session);
            return;
        } catch (const Poco::Exception&) {
            // A pool keeps sessions whose server went away (a restart, an idle timeout): start a new
            // one, unless another request already did, and try once more on it.
            {
                std::lock_guard<std::mutex> lock(_poolMutex);
                if (_pool == pool)
                    _pool = std::make_shared<Pool>(_sqlite, _connection, _sessions);
            }
            if (attempt == 2)
                throw;
        }
    }
}

BoundQuery ReadingsStore::restricted(const BoundQuery& asked) const {
    const ReadingsAccess* access = ReadingsAccessScope::current();
    return access ? restrictedQuery(asked, *access, [this](BoundQuery& query, Micros at) { time(query, at); })
                  : asked;
}

Rows ReadingsStore::run(const BoundQuery& asked) {
    const BoundQuery query = restricted(asked);
    Rows rows;
    onSession([&](Poco::Data::Session& session) {
        const Poco::Data::RecordSet records = query.run(session);
        rows.assign(records.rowCount(), Row(records.columnCount()));
        for (std::size_t row = 0; row < rows.size(); ++row) {
            for (std::size_t column = 0; column < records.columnCount(); ++column) {
                if (!records.isNull(column, row))
                    rows[row][column] = records.value(column, row);
            }
        }
    });
    return rows;
}

FilterDialect ReadingsStore::filterDialect() const {
    return {[this](BoundQuery& query, Micros value) { time(query, value); }, _sqlite};
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
                                              std::size_t limit, const Expression* filter) {
    BoundQuery query;
    query.sql("SELECT id, system, city, street, latitude, longitude FROM stations st WHERE 1 = 1");
    if (filter)
        appendFilter(query.sql(" AND "), EntityType::Thing, *filter, filterDialect());
    if (selection.by == Selection::By::Id)
        query.sql(" AND id = ").value(selection.key);
    else if (selection.by == Selection::By::Ids)
        inIds(query, "id", selection.keys);
    else if (selection.by == Selection::By::Related && selection.related == EntityType::Location)
        query.sql(" AND latitude IS NOT NULL AND longitude IS NOT NULL AND id = ").value(selection.key);
    else if (selection.by == Selection::By::Related)
        return {};
    page(query, "id", after, limit);
    std::vector<Poco::Int64> ids;
    std::vector<std::string> systems, cities, streets;
    std::vector<Poco::Nullable<double>> latitudes, longitudes;
    select(query, ids, systems, cities, streets, latitudes, longitudes);
    std::vector<StationRow> stations(ids.size());
    for (std::size_t at = 0; at < ids.size(); ++at)
        stations[at] = {ids[at],
                        std::move(systems[at]),
                        std::move(cities[at]),
                        std::move(streets[at]),
                        optional(latitudes[at]),
                        optional(longitudes[at])};
    return stations;
}

std::vector<StationRow> ReadingsStore::locations(const Selection& selection,
                                                 std::optional<std::int64_t> after, std::size_t limit,
                                                 const GeoArea* area) {
    std::optional<std::int64_t> station;  // one station's Location
    if (selection.by == Selection::By::Id ||
        (selection.by == Selection::By::Related && selection.related == EntityType::Thing))
        station = selection.key;
    else if (selection.by != Selection::By::All)
        return {};
    std::vector<StationRow> found;
    if (limit == 0)
        return found;
    // A polygon keeps only some of the stations in its box: read batches until the page is full.
    const std::size_t batch = std::clamp<std::size_t>(limit, 100, 10001);
    for (;;) {
        BoundQuery query;
        query.sql(
            "SELECT id, system, city, street, latitude, longitude FROM stations "
            "WHERE latitude IS NOT NULL AND longitude IS NOT NULL");
        if (station)
            query.sql(" AND id = ").value(*station);
        if (area) {
            const GeoBoundingBox box = boundingBox(*area);
            query.sql(" AND latitude >= ").decimal(box.southWest.latitude);
            query.sql(" AND latitude <= ").decimal(box.northEast.latitude);
            query.sql(" AND longitude >= ").decimal(box.southWest.longitude);
            query.sql(" AND longitude <= ").decimal(box.northEast.longitude);
        }
        page(query, "id", after, batch);
        const Rows rows = run(query);
        for (const Row& row : rows) {
            StationRow located{whole(row, 0), text(row, 1),           text(row, 2),
                               text(row, 3),  optionalNumber(row, 4), optionalNumber(row, 5)};
            after = located.id;
            if (area && !intersects(*area, {*located.longitude, *located.latitude}))
                continue;
            found.push_back(std::move(located));
            if (found.size() == limit)
                return found;
        }
        if (rows.size() < batch)
            return found;
    }
}

std::vector<DatastreamRow> ReadingsStore::datastreams(const Selection& selection,
                                                      std::optional<std::int64_t> after, std::size_t limit,
                                                      const Expression* filter) {
    BoundQuery query;
    query.sql(
        "SELECT s.id, s.station_id, st.system, st.city, st.street, s.quantity, s.unit, s.driver, "
        "(SELECT MIN(o.id) FROM sensors o WHERE o.station_id = s.station_id AND o.driver = s.driver) "
        "FROM sensors s JOIN stations st ON st.id = s.station_id WHERE 1 = 1");
    if (filter)
        appendFilter(query.sql(" AND "), EntityType::Datastream, *filter, filterDialect());
    if (selection.by == Selection::By::Id) {
        query.sql(" AND s.id = ").value(selection.key);
    } else if (selection.by == Selection::By::Ids) {
        inIds(query, "s.id", selection.keys);
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
    std::vector<Poco::Int64> ids, stations, sensors;
    std::vector<std::string> systems, cities, streets, quantities, units, drivers;
    select(query, ids, stations, systems, cities, streets, quantities, units, drivers, sensors);
    std::vector<DatastreamRow> datastreams;
    for (std::size_t at = 0; at < ids.size(); ++at)
        datastreams.push_back({ids[at], stations[at], systems[at] + "/" + cities[at] + "/" + streets[at],
                               std::move(quantities[at]), std::move(units[at]), std::move(drivers[at]),
                               sensors[at]});
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
    else if (selection.by == Selection::By::Ids)
        inIds(query, "g.id", selection.keys);
    else if (selection.by == Selection::By::Related)
        return {};
    page(query, "g.id", after, limit);
    std::vector<Poco::Int64> ids, stations;
    std::vector<std::string> systems, cities, streets, drivers;
    select(query, ids, stations, systems, cities, streets, drivers);
    std::vector<SensorRow> sensors;
    for (std::size_t at = 0; at < ids.size(); ++at)
        sensors.push_back({ids[at], stations[at], systems[at] + "/" + cities[at] + "/" + streets[at],
                           std::move(drivers[at])});
    return sensors;
}

std::vector<std::int64_t> ReadingsStore::observedProperties(const Selection& selection,
                                                            std::optional<std::int64_t> after,
                                                            std::size_t limit) {
    if (selection.by == Selection::By::Related || selection.by == Selection::By::Ids)
        return {};
    const Rows rows = run(BoundQuery().sql("SELECT DISTINCT quantity FROM sensors"));
    std::vector<std::int64_t> ids;
    for (const Row& row : rows) {
        if (const auto quantity = quantityByName(text(row, 0)))
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

std::vector<ReadingRow> ReadingsStore::observations(const Selection& selection, const ObservationPage& page,
                                                    const ReadingVisitor& arrived) {
    BoundQuery query;
    // MariaDbReadings reads the time column as it is, the SQLite path as µs.
    query.sql("SELECT r.sensor_id, ")
        .sql(_mariaDb ? "r.time" : timeMicros())
        .sql(", r.value, r.quality FROM readings r WHERE ");
    if (!whereObservations(query, selection, page.filter))
        return {};
    const bool descending = page.order.descending;
    const char* beyond = descending ? " < " : " > ";
    const char* from = descending ? " <= " : " >= ";
    const char* direction = descending ? " DESC" : "";
    const auto& after = page.after;
    if (page.order.byResult) {
        // result, time, sensor: the page after (v, t, s) begins past it in that order.
        if (after) {
            query.sql(" AND r.value").sql(from).decimal(after->result);
            query.sql(" AND (r.value").sql(beyond).decimal(after->result).sql(" OR (r.value = ");
            query.decimal(after->result).sql(" AND (r.time").sql(beyond);
            time(query, after->key.time).sql(" OR (r.time = ");
            time(query, after->key.time)
                .sql(" AND r.sensor_id")
                .sql(beyond)
                .value(after->key.sensor)
                .sql("))))");
        }
        query.sql(" ORDER BY r.value")
            .sql(direction)
            .sql(", r.time")
            .sql(direction)
            .sql(", r.sensor_id")
            .sql(direction);
    } else if (selection.by == Selection::By::Related) {
        // One sensor: its primary key (sensor_id, time) serves the range and the order.
        if (after)
            time(query.sql(" AND r.time").sql(beyond), after->key.time);
        query.sql(" ORDER BY r.time").sql(direction);
    } else {
        // Every sensor: the index readings_time (time, sensor_id) serves the range and the order; the
        // range on time alone comes first so that the index is read from there on.
        if (after) {
            time(query.sql(" AND r.time").sql(from), after->key.time);
            time(query.sql(" AND (r.time").sql(beyond), after->key.time)
                .sql(" OR r.sensor_id")
                .sql(beyond)
                .value(after->key.sensor)
                .sql(")");
        }
        query.sql(" ORDER BY r.time").sql(direction).sql(", r.sensor_id").sql(direction);
    }
    query.sql(" LIMIT ").value(static_cast<std::int64_t>(page.limit));
    if (page.skip > 0)
        query.sql(" OFFSET ").value(page.skip);
    std::vector<ReadingRow> readings;
    if (_mariaDb) {
        _mariaDb->read(restricted(query), readings, arrived);
        return readings;
    }
    std::vector<Poco::Int64> sensors, times, qualities;
    std::vector<double> values;
    select(query, sensors, times, values, qualities);
    readings.resize(sensors.size());
    for (std::size_t at = 0; at < readings.size(); ++at) {
        readings[at] = {{sensors[at], times[at]}, values[at], static_cast<std::uint16_t>(qualities[at])};
        if (arrived)
            arrived(readings[at]);
    }
    return readings;
}

ObservationCount ReadingsStore::countObservations(const Selection& selection, const Expression* filter) {
    const ReadingsAccess* access = ReadingsAccessScope::current();
    if (!_sqlite && selection.by == Selection::By::All && !filter && !(access && access->stations)) {
        // COUNT(*) of an InnoDB table reads all of it (minutes for a city's years); its statistics
        // have the number of rows, to within a few per cent (the embargo's last hour among them).
        const Rows rows = run(BoundQuery().sql(
            "SELECT TABLE_ROWS FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND "
            "TABLE_NAME = 'readings'"));
        if (!rows.empty() && !rows.front()[0].isEmpty())
            return {whole(rows.front(), 0), true};
    }
    BoundQuery query;
    query.sql("SELECT COUNT(*) FROM readings r WHERE ");
    if (!whereObservations(query, selection, filter))
        return {0, false};
    return {whole(run(query).front(), 0), false};
}

bool ReadingsStore::whereObservations(BoundQuery& query, const Selection& selection,
                                      const Expression* filter) const {
    const bool ofDatastream =
        selection.by == Selection::By::Related && selection.related == EntityType::Datastream;
    if (selection.by != Selection::By::All && !ofDatastream)
        return false;
    if (filter) {
        appendFilter(query, EntityType::Observation, *filter, filterDialect());
        query.sql(" AND ");
    }
    if (ofDatastream)
        query.sql("r.sensor_id = ").value(selection.key);
    else
        query.sql("1 = 1");
    return true;
}

std::optional<ReadingRow> ReadingsStore::observation(const ObservationKey& key) {
    BoundQuery query;
    query.sql("SELECT ")
        .sql(timeMicros())
        .sql(", r.value, r.quality FROM readings r WHERE r.sensor_id = ")
        .value(key.sensor);
    time(query.sql(" AND r.time = "), key.time);
    const Rows rows = run(query);
    if (rows.empty())
        return std::nullopt;
    return ReadingRow{{key.sensor, whole(rows.front(), 0)},
                      number(rows.front(), 1),
                      static_cast<std::uint16_t>(whole(rows.front(), 2))};
}

}  // namespace citysense::api
