// Rows per second into MariaDB through the real sql sink — the plugin loaded as citysensed loads it,
// fed batches of 1000 samples through write(), each batch one transaction of multi-row inserts that skip a
// stored key — beside baselines measured in the same run, on the same server and table, with the same rows,
// written through the MariaDB client library (libmariadb) directly:
//   single-row:  one prepared INSERT IGNORE ... VALUES (?,?,?,?) executed per row, binary-bound
//                (the time as a MYSQL_TIME), a commit every 1000 rows (autocommit off), as a careful
//                hand-written loader does: not a commit per row;
//   multi-row:   the sink's statement shape, 1000 rows per INSERT ... ON DUPLICATE KEY UPDATE with no
//                change, and a commit after each,
//                binary-bound and prepared once; then, to show where the sink's time goes, prepared
//                again for every batch, and also with the time bound as text formatted per row, as the
//                sink binds it through Poco Data;
//   LOAD DATA:   LOAD DATA LOCAL INFILE ... IGNORE of a tab-separated file written before the clock
//                starts, in one statement (one transaction).
// Every case starts on an empty table (TRUNCATE) once the server has flushed what the previous case
// dirtied; each runs three times, alternating the cases, and the medians are shown, with the CPU time
// per row of this process (the client side) and of the server (from /proc, with --server-pid).
// Connections are opened before the clock starts; all cases must store the same rows (count, checksum).
//   citysense-bench-sql --host H --port N --database DB --user U --password-file FILE
//                       [--server-pid PID] [--rows N] [--runs N]
// tools/benchmarks/sql-throughput starts the server (its own MariaDB in a temporary directory).
#include "MariaDbConnection.h"
#include "SinkBench.h"

#include <citysense/Format.h>
#include <engine/PluginRegistry.h>

#include <Poco/Logger.h>
#include <mysql.h>

#include <sys/resource.h>
#include <unistd.h>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

using namespace citysense;
using namespace citysense::bench;
using Connection = MariaDbConnection;
using Clock = std::chrono::steady_clock;

const char* const kDriver = "driver.bench";

struct Setup {
    MariaDbAddress server;
    long serverPid = 0;
    std::size_t rows = 200000;
    int runs = 3;
};

// ---- the client library, for the baselines and the bookkeeping ----

class Prepared {
public:
    Prepared(Connection& connection, const std::string& sql)
        : _connection(connection), _statement(mysql_stmt_init(connection.handle())) {
        if (!_statement || mysql_stmt_prepare(_statement, sql.data(), sql.size()) != 0)
            fail("prepare");
    }
    ~Prepared() { mysql_stmt_close(_statement); }
    Prepared(const Prepared&) = delete;
    Prepared& operator=(const Prepared&) = delete;

    void bind(std::vector<MYSQL_BIND>& binds) {
        if (mysql_stmt_bind_param(_statement, binds.data()) != 0)
            fail("bind");
    }
    void execute() {
        if (mysql_stmt_execute(_statement) != 0)
            fail("execute");
    }

private:
    [[noreturn]] void fail(const char* what) const {
        throw std::runtime_error(
            std::string(what) + ": " +
            (_statement ? mysql_stmt_error(_statement) : mysql_error(_connection.handle())));
    }

    Connection& _connection;
    MYSQL_STMT* _statement;
};

/// A row as the baselines bind it.
struct Row {
    std::uint32_t sensor;
    MYSQL_TIME time;
    double value;
    std::uint16_t quality;
};

MYSQL_TIME toMysqlTime(Micros micros) {
    const Micros seconds = micros >= 0 ? micros / kMicrosPerSecond : -((-micros - 1) / kMicrosPerSecond) - 1;
    const std::time_t whole = static_cast<std::time_t>(seconds);
    std::tm utc{};
    gmtime_r(&whole, &utc);
    MYSQL_TIME time{};
    time.year = static_cast<unsigned>(utc.tm_year + 1900);
    time.month = static_cast<unsigned>(utc.tm_mon + 1);
    time.day = static_cast<unsigned>(utc.tm_mday);
    time.hour = static_cast<unsigned>(utc.tm_hour);
    time.minute = static_cast<unsigned>(utc.tm_min);
    time.second = static_cast<unsigned>(utc.tm_sec);
    time.second_part = static_cast<unsigned long>(micros - seconds * kMicrosPerSecond);
    time.time_type = MYSQL_TIMESTAMP_DATETIME;
    return time;
}

void bindRow(Row& row, MYSQL_BIND* bind) {
    bind[0].buffer_type = MYSQL_TYPE_LONG;
    bind[0].buffer = &row.sensor;
    bind[0].is_unsigned = 1;
    bind[1].buffer_type = MYSQL_TYPE_DATETIME;
    bind[1].buffer = &row.time;
    bind[2].buffer_type = MYSQL_TYPE_DOUBLE;
    bind[2].buffer = &row.value;
    bind[3].buffer_type = MYSQL_TYPE_SHORT;
    bind[3].buffer = &row.quality;
    bind[3].is_unsigned = 1;
}

const char* const kInsert = "INSERT IGNORE INTO readings (sensor_id, time, value, quality) VALUES ";

Run singleRowRun(const Setup& setup, Connection& connection, std::vector<Row>& rows) {
    connection.run("SET autocommit = 0");
    Prepared statement(connection, std::string(kInsert) + "(?, ?, ?, ?)");
    std::vector<MYSQL_BIND> binds(4);
    const Stopwatch stopwatch(setup.serverPid);
    for (std::size_t i = 0; i < rows.size(); ++i) {
        std::fill(binds.begin(), binds.end(), MYSQL_BIND{});
        bindRow(rows[i], binds.data());
        statement.bind(binds);
        statement.execute();
        if ((i + 1) % kBatch == 0 || i + 1 == rows.size())
            connection.commit();
    }
    return stopwatch.finish(rows.size());
}

/// How the 1000-row statement is made and bound: the first as a loader would write it, the last as
/// the sink does (a statement prepared for every batch, the time bound as text formatted per row).
enum class MultiRow { PreparedOnce, PreparedPerBatch, PerBatchTimeAsText };

std::string multiRowText(std::size_t count) {
    std::string text = "INSERT INTO readings (sensor_id, time, value, quality) VALUES ";
    for (std::size_t i = 0; i < count; ++i)
        text += i == 0 ? "(?, ?, ?, ?)" : ", (?, ?, ?, ?)";
    return text + " ON DUPLICATE KEY UPDATE sensor_id = sensor_id";
}

Run multiRowRun(const Setup& setup, Connection& connection, std::vector<Row>& rows,
                const std::vector<Micros>& times, MultiRow variant) {
    connection.run("SET autocommit = 0");
    const std::string fullText = multiRowText(kBatch);
    std::unique_ptr<Prepared> once;
    std::vector<MYSQL_BIND> binds(4 * kBatch);
    std::vector<std::string> texts(kBatch);
    std::vector<unsigned long> lengths(kBatch);
    const Stopwatch stopwatch(setup.serverPid);
    if (variant == MultiRow::PreparedOnce)
        once = std::make_unique<Prepared>(connection, fullText);
    for (std::size_t at = 0; at < rows.size(); at += kBatch) {
        const std::size_t count = std::min(kBatch, rows.size() - at);
        std::fill(binds.begin(), binds.end(), MYSQL_BIND{});
        for (std::size_t i = 0; i < count; ++i) {
            bindRow(rows[at + i], &binds[4 * i]);
            if (variant == MultiRow::PerBatchTimeAsText) {
                texts[i] = formatSeedTime(times[at + i]);
                lengths[i] = texts[i].size();
                binds[4 * i + 1].buffer_type = MYSQL_TYPE_STRING;
                binds[4 * i + 1].buffer = texts[i].data();
                binds[4 * i + 1].buffer_length = lengths[i];
                binds[4 * i + 1].length = &lengths[i];
            }
        }
        if (once && count == kBatch) {
            once->bind(binds);
            once->execute();
        } else {
            Prepared statement(connection, count == kBatch ? fullText : multiRowText(count));
            statement.bind(binds);
            statement.execute();
        }
        connection.commit();
    }
    return stopwatch.finish(rows.size());
}

Run loadDataRun(const Setup& setup, Connection& connection, const std::string& file, std::size_t rows) {
    connection.run("SET autocommit = 1");
    const std::string sql =
        "LOAD DATA LOCAL INFILE '" + file +
        "' IGNORE INTO TABLE readings FIELDS TERMINATED BY '\\t' LINES TERMINATED BY '\\n' "
        "(sensor_id, time, value, quality)";
    const Stopwatch stopwatch(setup.serverPid);
    connection.run(sql);
    Run run = stopwatch.finish(rows);
    const auto loaded = mysql_affected_rows(connection.handle());
    if (loaded != rows)
        run.failure = "LOAD DATA stored " + std::to_string(loaded) + " of " + std::to_string(rows) + " rows";
    return run;
}

// ---- the sink, loaded as citysensed loads it ----

std::unique_ptr<Sink> openSink(const Setup& setup, PluginRegistry& registry) {
    return bench::openSink(
        registry, "sql",
        {{"connector", "mysql"},
         {"connection", "host=" + setup.server.host + ";port=" + std::to_string(setup.server.port) +
                            ";db=" + setup.server.database + ";user=" + setup.server.user},
         {"password_file", setup.server.passwordFile},
         {"create_schema", "true"}});
}

Run sinkRun(const Setup& setup, const std::vector<SampleBatch>& batches) {
    PluginRegistry registry;
    return timeWrites(*openSink(setup, registry), batches, setup.serverPid);
}

// ---- reporting ----

void print(const Series& series) {
    if (const Run* run = series.failed()) {
        std::printf("  %-34s FAILED: %s\n", series.label.c_str(), run->failure.c_str());
        return;
    }
    std::printf("  %-34s %8.0f rows/s  CPU/row: client %5.2f us, server %5.2f us  (runs %s)\n",
                series.label.c_str(), series.rate(), series.cpuMicros(), series.otherCpuMicros(),
                series.rates().c_str());
}

/// The (sensor id) of each quantity the bench source writes, as the sink created them.
std::map<std::string, std::uint32_t> sensorIds(Connection& connection) {
    std::map<std::string, std::uint32_t> ids;
    for (const auto& row :
         connection.select(std::string("SELECT s.quantity, s.id FROM sensors s JOIN stations t ON "
                                       "t.id = s.station_id WHERE s.driver = '") +
                           kDriver +
                           "' AND t.system = 'hypo_city' AND t.city = 'city_01' AND "
                           "t.street = 'street_01'"))
        ids[row[0]] = static_cast<std::uint32_t>(std::stoul(row[1]));
    return ids;
}

std::vector<Row> baselineRows(const std::vector<SampleBatch>& batches,
                              const std::map<std::string, std::uint32_t>& ids) {
    std::vector<Row> rows;
    for (const auto& batch : batches)
        for (const Sample& sample : batch) {
            const auto found = ids.find(info(sample.quantity).name);
            if (found == ids.end())
                throw std::runtime_error(std::string("no sensor row for ") + info(sample.quantity).name);
            rows.push_back({found->second, toMysqlTime(sample.time), sample.value, sample.quality});
        }
    return rows;
}

std::string writeTsv(const std::vector<SampleBatch>& batches,
                     const std::map<std::string, std::uint32_t>& ids) {
    char path[] = "/tmp/citysense-bench-sql-XXXXXX";
    const int descriptor = ::mkstemp(path);
    if (descriptor < 0)
        throw std::runtime_error("mkstemp failed");
    ::close(descriptor);
    std::ofstream out(path);
    char line[128];
    for (const auto& batch : batches)
        for (const Sample& sample : batch) {
            std::snprintf(line, sizeof line, "%u\t%s\t%.17g\t%u\n", ids.at(info(sample.quantity).name),
                          formatSeedTime(sample.time).c_str(), sample.value,
                          static_cast<unsigned>(sample.quality));
            out << line;
        }
    if (!out.flush())
        throw std::runtime_error(std::string("cannot write ") + path);
    return path;
}

long dirtyPages(Connection& connection) {
    return std::stol(
        connection.select("SHOW GLOBAL STATUS LIKE 'Innodb_buffer_pool_pages_dirty'").at(0).at(1));
}

/// Every case must have stored the same rows: their count and a checksum over them.
std::string contents(Connection& connection) {
    const auto rows = connection.select(
        "SELECT COUNT(*), SUM(CRC32(CONCAT_WS(',', sensor_id, time, value, quality))) FROM readings");
    return rows.at(0).at(0) + " rows, checksum " + rows.at(0).at(1);
}

Setup parse(int argc, char** argv) {
    Setup setup;
    OptionSetters setters = addressOptions(setup.server);
    setters.insert({{"--server-pid", storeIn(setup.serverPid)},
                    {"--rows", storeIn(setup.rows)},
                    {"--runs", storeIn(setup.runs)}});
    parseOptions(argc, argv, setters);
    if (setup.server.user.empty() || setup.server.passwordFile.empty() || setup.rows == 0 || setup.runs < 1)
        throw std::invalid_argument(
            "usage: citysense-bench-sql --host H --port N --database DB --user U --password-file FILE "
            "[--server-pid PID] [--rows N] [--runs N]");
    return setup;
}

bool measure(const Setup& setup) {
    const std::vector<SampleBatch> batches = makeBatches(setup.rows, kDriver, nowMicros() + 7);
    Connection connection(setup.server, true);
    // The first sight of the source creates its station and sensors: once, before any case, so that
    // every case writes readings only (a sink run still looks its sensors up, once each).
    {
        PluginRegistry registry;
        std::unique_ptr<Sink> sink = openSink(setup, registry);
        sink->write(batches.front());
        sink->close();
    }
    const auto ids = sensorIds(connection);
    std::vector<Row> rows = baselineRows(batches, ids);
    std::vector<Micros> times;
    for (const auto& batch : batches)
        for (const Sample& sample : batch)
            times.push_back(sample.time);
    const std::string file = writeTsv(batches, ids);
    std::printf(
        "sql sink throughput: MariaDB %s at %s:%u, %zu rows (%zu sensors), batches of %zu, median of %d "
        "runs\n",
        mysql_get_server_info(connection.handle()), setup.server.host.c_str(), setup.server.port, rows.size(),
        ids.size(), kBatch, setup.runs);

    Series sink{"sink (sql plugin, write()):", {}};
    Series single{"single-row prepared, commit/1000:", {}};
    Series multi{"libmariadb 1000-row prepared:", {}};
    Series perBatch{"  same, prepared for every batch:", {}};
    Series asText{"  same, time bound as text:", {}};
    Series load{"LOAD DATA LOCAL INFILE:", {}};
    std::map<std::string, std::string> stored;
    // Each case starts on an empty table and a quiet server: the pages the previous case dirtied are
    // flushed first, or their flushing in the background would fall on the next case only.
    double waited = 0;
    const auto fresh = [&] {
        connection.run("TRUNCATE TABLE readings");
        // Until at most 100 dirty pages are left, or a second passes without progress; at most 30 s.
        const auto start = Clock::now();
        auto progress = start;
        for (long dirty = dirtyPages(connection), least = dirty;
             dirty > 100 && Clock::now() - start < std::chrono::seconds(30) &&
             Clock::now() - progress < std::chrono::seconds(1);
             dirty = dirtyPages(connection)) {
            if (dirty < least) {
                least = dirty;
                progress = Clock::now();
            }
            ::usleep(20000);
        }
        waited = std::max(waited, std::chrono::duration<double>(Clock::now() - start).count());
    };
    const auto check = [&](const char* label) {
        connection.run("SET autocommit = 1");
        stored[contents(connection)] += std::string(label) + " ";
    };
    // Alternated, so that a disturbance on the machine does not fall on one case only.
    try {
        for (int run = 0; run < setup.runs; ++run) {
            fresh();
            sink.runs.push_back(sinkRun(setup, batches));
            check("sink");
            fresh();
            single.runs.push_back(singleRowRun(setup, connection, rows));
            check("single-row");
            fresh();
            multi.runs.push_back(multiRowRun(setup, connection, rows, times, MultiRow::PreparedOnce));
            check("multi-row");
            fresh();
            perBatch.runs.push_back(multiRowRun(setup, connection, rows, times, MultiRow::PreparedPerBatch));
            check("multi-row-per-batch");
            fresh();
            asText.runs.push_back(multiRowRun(setup, connection, rows, times, MultiRow::PerBatchTimeAsText));
            check("multi-row-text");
            fresh();
            load.runs.push_back(loadDataRun(setup, connection, file, rows.size()));
            check("load-data");
            if (sink.failed())
                break;
        }
    } catch (...) {
        ::unlink(file.c_str());
        throw;
    }
    ::unlink(file.c_str());
    for (const Series* series : {&sink, &single, &multi, &perBatch, &asText, &load})
        print(*series);
    if (stored.size() != 1) {
        std::printf("  the cases stored different rows:\n");
        for (const auto& [what, who] : stored)
            std::printf("    %s: %s\n", what.c_str(), who.c_str());
        return false;
    }
    std::printf("  every case stored %s; before each, up to %.1f s waiting for the server to flush\n",
                stored.begin()->first.c_str(), waited);
    if (sink.failed() || load.failed() || single.failed() || multi.failed() || perBatch.failed() ||
        asText.failed()) {
        std::printf("  goal sink >= 0.5 of LOAD DATA: NOT met (a case failed)\n");
        return false;
    }
    const double ratio = sink.rate() / load.rate();
    std::printf("  ratio sink/LOAD DATA:   %6.3f\n", ratio);
    std::printf("  ratio sink/single-row:  %6.3f\n", sink.rate() / single.rate());
    std::printf(
        "  ratio sink/libmariadb 1000-row prepared: %6.3f (prepared every batch %.3f, and time as text "
        "%.3f)\n",
        sink.rate() / multi.rate(), sink.rate() / perBatch.rate(), sink.rate() / asText.rate());
    std::printf("  goal sink >= 0.5 of LOAD DATA: %s\n", ratio >= 0.5 ? "met" : "NOT met");
    return ratio >= 0.5;
}

}  // namespace

int main(int argc, char** argv) {
    Setup setup;
    return benchmarkMain(
        "citysense-bench-sql", [&] { setup = parse(argc, argv); },
        [&] {
            Poco::Logger::root().setLevel(Poco::Message::PRIO_WARNING);
            return measure(setup) ? 0 : 1;
        });
}
