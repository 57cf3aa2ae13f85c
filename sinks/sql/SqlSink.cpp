// sql: stores samples in MariaDB (connector mysql) or SQLite through Poco Data, in the schema of
// sql/ (stations, sensors, readings). Each batch is one transaction of multi-row inserts with bound
// values only; the (sensor, time) key plus INSERT IGNORE makes a replay store nothing twice. A write
// that fails throws and the host keeps the batch in its spool. See README.md for the options.
#include "ReadingsInsert.h"
#include "Schema.h"

#include <citysense/Export.h>
#include <citysense/Format.h>

#include <Poco/Data/MySQL/Connector.h>
#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <Poco/Logger.h>

#include <cmath>
#include <map>
#include <memory>
#include <mutex>

using namespace citysense;
using namespace Poco::Data::Keywords;

namespace {

// 4 values a row: well below MariaDB's 65535 and SQLite's 32766 placeholders a statement.
constexpr std::size_t kRowsPerInsert = 1000;

void registerConnectors() {
    static std::once_flag once;
    std::call_once(once, [] {
        Poco::Data::MySQL::Connector::registerConnector();
        Poco::Data::SQLite::Connector::registerConnector();
    });
}

}  // namespace

class SqlSink : public Sink {
public:
    const OptionTable& options() const override {
        static const OptionTable table = {
            Option::choice("connector", {"sqlite", "mysql"}, "sqlite", "sqlite (a file) or mysql (MariaDB)"),
            Option::string("connection", "",
                           "sqlite: the database file (a relative path: to the configuration file's folder); "
                           "mysql: a Poco connection string such as "
                           "host=127.0.0.1;port=3306;db=citysense;user=ingest (no password in it)")
                .mandatory(),
            Option::secret("password", "mysql: the password of the connection's user"),
            Option::boolean("create_schema", "false",
                            "Create or upgrade the schema at open (otherwise tools/db-migrate must have)"),
        };
        return table;
    }

    void configure(const Options& options) override {
        _sqlite = options.getString("connector") == "sqlite";
        // The sqlite database is a file: relative to the configuration, like every path.
        _connection =
            _sqlite ? options.resolvePath(options.getString("connection")) : options.getString("connection");
        _createSchema = options.getBool("create_schema");
        if (_connection.find("password=") != std::string::npos)
            throw OptionError("connection", "put the password in password_file or password_env, not here");
        _password = options.getSecret("password");
        if (_sqlite && !_password.empty())
            throw OptionError(options.has("password_file") ? "password_file" : "password_env",
                              "sqlite takes no password");
    }

    void open() override {
        registerConnectors();
        _fullInsert.reset();
        std::string connection = _connection;
        if (!_sqlite) {
            if (!_password.empty())
                connection += ";password=" + _password;
            if (connection.find("character-set=") == std::string::npos)
                connection += ";character-set=utf8mb4";
        }
        try {
            _session = std::make_unique<Poco::Data::Session>(_sqlite ? "sqlite" : "mysql", connection);
            if (_sqlite)
                *_session << "PRAGMA foreign_keys = ON", now;
            sql::ensureSchema(*_session, _sqlite ? "sqlite" : "mariadb", _createSchema);
        } catch (const Poco::Exception& error) {
            _session.reset();
            throw std::runtime_error("cannot open " + describe() + ": " + error.displayText());
        } catch (const std::runtime_error& error) {
            _session.reset();
            throw std::runtime_error("cannot use " + describe() + ": " + error.what());
        }
        logger().information("writing to " + describe());
    }

    void write(const SampleBatch& batch) override {
        if (!_session)
            open();
        std::map<std::pair<const Source*, Quantity>, std::int64_t> created;
        std::uint64_t nonFinite = 0;
        const Sample* lastNonFinite = nullptr;
        try {
            _session->begin();
            std::vector<sql::ReadingRow> rows;
            rows.reserve(batch.size());
            for (const Sample& sample : batch) {
                if (!std::isfinite(sample.value)) {
                    ++nonFinite;
                    lastNonFinite = &sample;
                    continue;
                }
                rows.push_back({sensorId(sample, created), sample.time, sample.value, sample.quality});
            }
            for (std::size_t at = 0; at < rows.size(); at += kRowsPerInsert)
                insert(rows, at, std::min(rows.size(), at + kRowsPerInsert));
            _session->commit();
        } catch (const Poco::Exception& error) {
            abandon();
            throw std::runtime_error("cannot write to " + describe() + ": " + error.displayText());
        }
        // Rows made in a transaction exist only once it commits; a batch that failed is written again.
        _sensors.insert(created.begin(), created.end());
        if (lastNonFinite)
            countDropped("non_finite_value", nonFinite,
                         std::string("a ") + info(lastNonFinite->quantity).name + " value of " +
                             formatNumber(lastNonFinite->value) + " (the readings table holds numbers only)");
    }

    void close() override {
        _fullInsert.reset();
        _session.reset();
    }

private:
    std::string describe() const {
        return _sqlite ? "SQLite database " + _connection : "MariaDB (" + _connection + ")";
    }

    /// A failed transaction may leave the connection unusable: the next write opens a new one.
    void abandon() {
        try {
            _session->rollback();
        } catch (const Poco::Exception&) {
        }
        _fullInsert.reset();
        _session.reset();
    }

    std::string ignore() const { return _sqlite ? "INSERT OR IGNORE" : "INSERT IGNORE"; }

    std::int64_t sensorId(const Sample& sample,
                          std::map<std::pair<const Source*, Quantity>, std::int64_t>& created) {
        const std::pair<const Source*, Quantity> key{sample.source, sample.quantity};
        if (const auto found = _sensors.find(key); found != _sensors.end())
            return found->second;
        if (const auto found = created.find(key); found != created.end())
            return found->second;
        static const Source unknown{};
        const Source& source = sample.source ? *sample.source : unknown;
        const Station& station = source.station;
        Poco::Nullable<double> latitude, longitude;
        if (station.hasPosition) {
            latitude = station.latitude;
            longitude = station.longitude;
        }
        *_session << ignore() +
                         " INTO stations (system, city, street, latitude, longitude) VALUES (?, ?, ?, ?, ?)",
            bind(station.system), bind(station.city), bind(station.street), bind(latitude), bind(longitude),
            now;
        std::int64_t stationId = 0;
        *_session << "SELECT id FROM stations WHERE system = ? AND city = ? AND street = ?", into(stationId),
            bind(station.system), bind(station.city), bind(station.street), now;
        const QuantityInfo& quantity = info(sample.quantity);
        *_session << ignore() + " INTO sensors (station_id, quantity, unit, driver) VALUES (?, ?, ?, ?)",
            bind(stationId), bind(std::string(quantity.name)), bind(std::string(quantity.unit)),
            bind(source.instance), now;
        std::int64_t sensor = 0;
        *_session << "SELECT id FROM sensors WHERE station_id = ? AND quantity = ? AND driver = ?",
            into(sensor), bind(stationId), bind(std::string(quantity.name)), bind(source.instance), now;
        created[key] = sensor;
        return sensor;
    }

    /// Rows [begin, end): full statements go through the prepared insert, a shorter rest through a
    /// statement of its own.
    void insert(const std::vector<sql::ReadingRow>& rows, std::size_t begin, std::size_t end) {
        if (end - begin == kRowsPerInsert) {
            if (!_fullInsert)
                _fullInsert = std::make_unique<sql::ReadingsInsert>(*_session, _sqlite, kRowsPerInsert);
            _fullInsert->execute(rows, begin);
            return;
        }
        sql::ReadingsInsert(*_session, _sqlite, end - begin).execute(rows, begin);
    }

    bool _sqlite = true;
    std::string _connection;
    std::string _password;
    bool _createSchema = false;
    std::unique_ptr<Poco::Data::Session> _session;
    std::unique_ptr<sql::ReadingsInsert> _fullInsert;  ///< prepared on _session; goes with it
    // Sources are interned for the life of the process, so their addresses are stable keys.
    std::map<std::pair<const Source*, Quantity>, std::int64_t> _sensors;
};

CITYSENSE_SINK(SqlSink, "sql", "1.0.0", "Stores samples in MariaDB or SQLite (stations, sensors, readings)")
