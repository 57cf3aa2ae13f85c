// sql: stores samples in MariaDB (connector mysql) or SQLite through Poco Data, in the schema of sql/
// (stations, sensors, readings). Each batch is one transaction of inserts with bound values only (on MariaDB
// an array of rows a statement, MariaDbBulkInsert.h; otherwise multi-row inserts); the (sensor, time) key
// makes a replay store nothing twice (a row whose key is there is skipped; anything else that does not fit is
// an error, never cut), and a sample the schema cannot hold (a name over 255 characters, a time outside years
// 1000-9999, a non-finite value) is refused and counted. A write that fails throws and the host keeps the
// batch in its spool; one the database refuses for its data (a constraint, a value it cannot hold) throws
// PermanentWriteError, and the host sets the refused samples aside. With several MariaDB servers (`hosts`,
// e.g. a Galera cluster's nodes) a failed write moves it to the next, and a transaction the cluster aborted
// for a conflict is run again at once; both are counted as events ("failover", "conflict_retry"). A
// station's announcement sets its position and its sensors' intervals (AnnouncementRecord.h). See README.md.
#include "AnnouncementRecord.h"
#include "DataRefusal.h"
#include "MariaDbBulkInsert.h"
#include "ReadingsInsert.h"
#include "Schema.h"
#include "ServerList.h"
#include "StationRows.h"

#include <citysense/Export.h>
#include <citysense/Format.h>

#include <Poco/Data/MySQL/Connector.h>
#include <Poco/Data/MySQL/Utility.h>
#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <Poco/Logger.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <tuple>

using namespace citysense;
using namespace Poco::Data::Keywords;

namespace {

// 4 values a row: well below MariaDB's 65535 and SQLite's 32766 placeholders a statement.
constexpr std::size_t kRowsPerInsert = 1000;

// Sensor ids cached at most; beyond, the cache starts over: a look-up is two cheap statements, a memory
// that grows with every sensor ever seen is not.
constexpr std::size_t kMostCachedSensors = 100000;

// How often a transaction aborted for a conflict (a deadlock, a Galera certification failure) is run again
// at once before the write fails and the host's backoff takes over.
constexpr int kConflictAttempts = 3;

// What MariaDB's DATETIME holds: 1000-01-01 to 9999-12-31 (also kept to with SQLite, so that a store
// can move between them).
constexpr Micros kEarliestTime = -30610224000000000;
constexpr Micros kLatestTime = 253402300799999999;

// A value that does not fit its column is an error, never cut or zeroed with a warning, so that no row
// is stored other than it was handed over.
constexpr const char* kStrictSqlMode =
    "SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_ZERO_DATE,NO_ZERO_IN_DATE,ERROR_FOR_DIVISION_BY_ZERO,"
    "NO_ENGINE_SUBSTITUTION'";

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
            Option::list(
                "hosts", "",
                "mysql: the servers to write to in turn, host or host:port each ([IPv6]:port; e.g. a Galera "
                "cluster's nodes); the connection string then names no host or port. After a "
                "failed write the sink moves on to the next"),
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
        try {
            if (options.has("hosts"))
                _servers = sql::ServerList(options.getList("hosts"));
        } catch (const std::invalid_argument& error) {
            throw OptionError("hosts", error.what());
        }
        if (!_servers.empty()) {
            if (_sqlite)
                throw OptionError("hosts", "sqlite writes to a file, not to hosts");
            if (namesServer(_connection))
                throw OptionError("connection", "names no host or port when hosts is set");
        }
        _password = options.getSecret("password");
        if (_sqlite && !_password.empty())
            throw OptionError(options.has("password_file") ? "password_file" : "password_env",
                              "sqlite takes no password");
    }

    void open() override {
        registerConnectors();
        if (_servers.size() < 2)
            return openCurrent();
        // Each server once, from the current one on; the error names what each said.
        std::string failures;
        for (std::size_t tried = 0; tried < _servers.size(); ++tried) {
            try {
                return openCurrent();
            } catch (const std::runtime_error& error) {
                failures += std::string(failures.empty() ? "" : "; ") + error.what();
                if (tried + 1 < _servers.size())
                    logger().warning(std::string(error.what()) + "; trying the next of hosts");
                failOver();
            }
        }
        throw std::runtime_error("no MariaDB server of hosts could be used: " + failures);
    }

    void write(const SampleBatch& batch) override {
        againAfterConflicts([&] { writeOnce(batch); });
    }

    /// Records the station's position and its sensors' intervals (AnnouncementRecord.h) in a transaction
    /// of its own. A station whose names the schema cannot hold is refused and counted, as its readings are;
    /// one the database refuses (PermanentWriteError) is counted by the host.
    void announce(const Announcement& announcement) override {
        std::string problem = stationNameProblem(announcement.station);
        for (const AnnouncedChannel& channel : announcement.channels)
            if (problem.empty())
                problem = nameLengthProblem("driver", channel.driver);
        if (!problem.empty()) {
            countDropped("name_too_long", 1, "an announcement whose " + problem);
            return;
        }
        againAfterConflicts([&] {
            if (!_session)
                open();
            try {
                begin();
                sql::recordAnnouncement(*_session, _sqlite, announcement);
                _session->commit();
            } catch (const Poco::Exception& error) {
                failed(error, "cannot record an announcement in ");
            }
        });
    }

    void close() override {
        forgetStatements();
        _session.reset();
    }

private:
    /// A transaction the server aborted for a conflict with another: it may pass when run again.
    struct Conflict : std::runtime_error {
        using std::runtime_error::runtime_error;
    };

    /// Runs `transaction` again when the server aborted it for a conflict, up to kConflictAttempts times.
    template <typename Transaction>
    void againAfterConflicts(Transaction&& transaction) {
        for (int attempt = 1;; ++attempt) {
            try {
                return transaction();
            } catch (const Conflict& conflict) {
                if (attempt == kConflictAttempts)
                    throw std::runtime_error(conflict.what());
                countEvent("conflict_retry");
                logger().information(
                    "a write to " + describe() +
                    " was aborted for a conflict with another transaction; running it again");
            }
        }
    }

    /// Starts a transaction. MariaDB's session runs with autocommit off, so that its transaction starts
    /// with the first statement: Poco's begin() would be a round trip of its own (SET autocommit=0) for
    /// each batch.
    void begin() {
        if (_sqlite)
            _session->begin();
    }

    /// After a failed transaction: drops the connection and throws what the failure calls for.
    [[noreturn]] void failed(const Poco::Exception& error, const std::string& what) {
        abandon();
        const std::string why = what + describe() + ": " + error.displayText();
        if (sql::refusesTheData(error))
            throw PermanentWriteError(why);
        if (sql::isConflict(error))
            throw Conflict(why);
        // The server may be down or out of its cluster: the next write tries the next one.
        if (_servers.size() > 1)
            failOver();
        throw std::runtime_error(why);
    }

    /// Moves on to the next of hosts, counted as a "failover", and looks the sensors up again there (a
    /// cluster's nodes agree on the ids; other servers need not).
    void failOver() {
        _servers.advance();
        _sensors.clear();
        countEvent("failover");
    }

    /// Whether a Poco connection string has a host or port key.
    static bool namesServer(const std::string& connection) {
        std::size_t start = 0;
        while (start <= connection.size()) {
            const std::size_t end = std::min(connection.find(';', start), connection.size());
            std::string part = connection.substr(start, end - start);
            part.erase(0, part.find_first_not_of(" \t"));
            if (part.rfind("host=", 0) == 0 || part.rfind("port=", 0) == 0)
                return true;
            start = end + 1;
        }
        return false;
    }

    void openCurrent() {
        forgetStatements();
        std::string connection = _servers.connectionPrefix() + _connection;
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
            else
                *_session << kStrictSqlMode, now;
            sql::ensureSchema(*_session, _sqlite ? "sqlite" : "mariadb", _createSchema);
            if (!_sqlite) {
                _bulk = sql::MariaDbBulkInsert::supported(Poco::Data::MySQL::Utility::handle(*_session));
                // Each transaction starts with its first statement and ends with its commit (begin()).
                _session->setFeature("autoCommit", false);
            }
        } catch (const Poco::Exception& error) {
            _session.reset();
            throw std::runtime_error("cannot open " + describe() + ": " + error.displayText());
        } catch (const std::runtime_error& error) {
            _session.reset();
            throw std::runtime_error("cannot use " + describe() + ": " + error.what());
        }
        logger().information("writing to " + describe());
    }

    void writeOnce(const SampleBatch& batch) {
        if (!_session)
            open();
        std::map<std::pair<const Source*, Quantity>, std::int64_t> created;
        std::map<const char*, std::pair<std::uint64_t, std::string>> refused;  // reason: count, last detail
        try {
            begin();
            std::vector<const Sample*> storable;
            storable.reserve(batch.size());
            for (const Sample& sample : batch) {
                if (auto refusal = unstorable(sample)) {
                    auto& [count, detail] = refused[refusal->reason];
                    ++count;
                    detail = std::move(refusal->detail);
                    continue;
                }
                storable.push_back(&sample);
            }
            makeNewSensors(storable, created);
            std::vector<sql::ReadingRow> rows;
            rows.reserve(storable.size());
            for (const Sample* sample : storable)
                rows.push_back({sensorId(*sample, created), sample->time, sample->value, sample->quality});
            for (std::size_t at = 0; at < rows.size(); at += kRowsPerInsert)
                insert(rows, at, std::min(rows.size(), at + kRowsPerInsert));
            _session->commit();
        } catch (const Poco::Exception& error) {
            failed(error, "cannot write to ");
        }
        // Rows made in a transaction exist only once it commits; a batch that failed is written again,
        // so what it refused is counted only now.
        if (_sensors.size() + created.size() > kMostCachedSensors)
            _sensors.clear();
        _sensors.insert(created.begin(), created.end());
        for (const auto& [reason, counted] : refused)
            countDropped(reason, counted.first, counted.second);
    }

    std::string describe() const {
        return _sqlite ? "SQLite database " + _connection
                       : "MariaDB (" + _servers.connectionPrefix() + _connection + ")";
    }

    /// A failed transaction may leave the connection unusable: the next write opens a new one.
    void abandon() {
        try {
            _session->rollback();
        } catch (const Poco::Exception&) {
        }
        forgetStatements();
        _session.reset();
    }

    /// The statements prepared on the session, closed before it is.
    void forgetStatements() {
        _bulkInsert.reset();
        _fullInsert.reset();
    }

    /// A sample the schema cannot hold: the reason it is counted under, and what it was.
    struct Refusal {
        const char* reason;
        std::string detail;
    };

    static std::optional<Refusal> unstorable(const Sample& sample) {
        if (!std::isfinite(sample.value))
            return Refusal{"non_finite_value", std::string("a ") + info(sample.quantity).name + " value of " +
                                                   formatNumber(sample.value) +
                                                   " (the readings table holds numbers only)"};
        if (sample.time < kEarliestTime || sample.time > kLatestTime)
            return Refusal{"time_out_of_range", "a reading of " + formatIsoTime(sample.time) +
                                                    " (the store holds years 1000 to 9999)"};
        if (!sample.source)
            return std::nullopt;
        std::string problem = stationNameProblem(sample.source->station);
        if (problem.empty())
            problem = nameLengthProblem("driver", sample.source->instance);
        if (!problem.empty())
            return Refusal{"name_too_long", "a reading whose " + problem};
        return std::nullopt;
    }

    /// Makes the stations and sensors of `samples` that are not known yet, in one order whatever the
    /// batch's: by station, driver and quantity. Two ingests meeting the same new stations (a shared
    /// subscription hands each its readings as they come) then wait for each other's transaction instead
    /// of each holding a row the other wants next, a deadlock that aborts one of them.
    void makeNewSensors(const std::vector<const Sample*>& samples,
                        std::map<std::pair<const Source*, Quantity>, std::int64_t>& created) {
        static const Source unknown{};
        std::map<std::pair<const Source*, Quantity>, const Sample*> firsts;
        for (const Sample* sample : samples)
            if (_sensors.count({sample->source, sample->quantity}) == 0)
                firsts.emplace(std::make_pair(sample->source, sample->quantity), sample);
        std::vector<const Sample*> ordered;
        ordered.reserve(firsts.size());
        for (const auto& first : firsts)
            ordered.push_back(first.second);
        const auto names = [](const Sample* sample) {
            const Source& source = sample->source ? *sample->source : unknown;
            return std::tie(source.station.system, source.station.city, source.station.street,
                            source.instance, sample->quantity);
        };
        std::sort(ordered.begin(), ordered.end(),
                  [&](const Sample* a, const Sample* b) { return names(a) < names(b); });
        for (const Sample* sample : ordered)
            sensorId(*sample, created);
    }

    std::int64_t sensorId(const Sample& sample,
                          std::map<std::pair<const Source*, Quantity>, std::int64_t>& created) {
        const std::pair<const Source*, Quantity> key{sample.source, sample.quantity};
        if (const auto found = _sensors.find(key); found != _sensors.end())
            return found->second;
        if (const auto found = created.find(key); found != created.end())
            return found->second;
        static const Source unknown{};
        const Source& source = sample.source ? *sample.source : unknown;
        const std::int64_t station = sql::stationRow(*_session, _sqlite, source.station);
        const std::int64_t sensor =
            sql::sensorRow(*_session, _sqlite, station, sample.quantity, source.instance);
        created[key] = sensor;
        return sensor;
    }

    /// Rows [begin, end): on MariaDB as one array (MariaDbBulkInsert.h); otherwise full statements go
    /// through the prepared insert, a shorter rest through a statement of its own.
    void insert(const std::vector<sql::ReadingRow>& rows, std::size_t begin, std::size_t end) {
        if (_bulk) {
            if (!_bulkInsert)
                _bulkInsert =
                    std::make_unique<sql::MariaDbBulkInsert>(Poco::Data::MySQL::Utility::handle(*_session));
            _bulkInsert->execute(rows, begin, end);
            return;
        }
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
    sql::ServerList _servers{{}};
    std::string _password;
    bool _createSchema = false;
    std::unique_ptr<Poco::Data::Session> _session;
    bool _bulk = false;  ///< the server of _session runs a statement for an array of rows
    std::unique_ptr<sql::MariaDbBulkInsert> _bulkInsert;  ///< prepared on _session; goes with it
    std::unique_ptr<sql::ReadingsInsert> _fullInsert;     ///< prepared on _session; goes with it
    // Sources are interned for the life of the process, so their addresses are stable keys.
    std::map<std::pair<const Source*, Quantity>, std::int64_t> _sensors;
};

CITYSENSE_SINK(SqlSink, "sql", "1.0.0", "Stores samples in MariaDB or SQLite (stations, sensors, readings)")
