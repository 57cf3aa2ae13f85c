// Rows per second into MariaDB through the real sql sink — the plugin loaded as citysensed loads it,
// fed batches of 1000 samples through write(), each batch one transaction of multi-row INSERT IGNOREs —
// beside baselines measured in the same run, on the same server and table, with the same rows, written
// through the MariaDB client library (libmariadb) directly:
//   single-row:  one prepared INSERT IGNORE ... VALUES (?,?,?,?) executed per row, binary-bound
//                (the time as a MYSQL_TIME), a commit every 1000 rows (autocommit off), as a careful
//                hand-written loader does: not a commit per row;
//   multi-row:   the sink's statement shape, 1000 rows per INSERT IGNORE and a commit after each,
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
#include "BenchSupport.h"
#include "MariaDbConnection.h"

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

constexpr std::size_t kBatch = 1000;
const char* const kDriver = "driver.bench";

struct Setup {
    std::string host = "127.0.0.1";
    unsigned port = 3306;
    std::string database = "citysense";
    std::string user;
    std::string passwordFile;
    long serverPid = 0;
    std::size_t rows = 200000;
    int runs = 3;
};

const Station& station() {
    static const Station gateway{"hypo_city", "city_01", "street_01"};
    return gateway;
}

/// The samples every case writes: every quantity in turn, distinct values, a millisecond apart.
std::vector<SampleBatch> makeBatches(std::size_t rows) {
    const Source* source = Source::intern(station(), kDriver);
    const auto& table = quantities();
    const Micros start = nowMicros();
    std::vector<SampleBatch> batches;
    for (std::size_t next = 0; next < rows;) {
        SampleBatch& batch = batches.emplace_back();
        for (std::size_t i = 0; i < kBatch && next < rows; ++i, ++next) {
            const QuantityInfo& row = table[next % table.size()];
            const double value = row.physicalMin + static_cast<double>(next % 9973) * 0.01;
            batch.push_back(
                {row.quantity, QualityOk, value, start + static_cast<Micros>(next) * 1000 + 7, source});
        }
    }
    return batches;
}

// ---- measuring ----

struct Run {
    double rate = 0;
    double clientCpu = 0;  ///< microseconds per row, this process
    double serverCpu = 0;  ///< microseconds per row, mariadbd (0 without --server-pid)
    std::string failure;
};

/// mariadbd's CPU time; 0 without --server-pid.
double serverCpu(long pid) {
    return pid > 0 ? processCpuMicros(pid) : 0;
}

class Stopwatch {
public:
    explicit Stopwatch(long serverPid)
        : _serverPid(serverPid), _start(Clock::now()), _cpu(ownCpuMicros()), _server(serverCpu(serverPid)) {}

    Run finish(std::size_t rows) const {
        const std::chrono::duration<double> elapsed = Clock::now() - _start;
        const auto count = static_cast<double>(rows);
        return {count / elapsed.count(),
                (ownCpuMicros() - _cpu) / count,
                (serverCpu(_serverPid) - _server) / count,
                {}};
    }

private:
    long _serverPid;
    Clock::time_point _start;
    double _cpu;
    double _server;
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
    std::string text = kInsert;
    for (std::size_t i = 0; i < count; ++i)
        text += i == 0 ? "(?, ?, ?, ?)" : ", (?, ?, ?, ?)";
    return text;
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
    registry.load(CITYSENSE_PLUGIN_DIR "/citysense-sql.so");
    if (!registry.find("sql")) {
        for (const auto& error : registry.errors())
            std::fprintf(stderr, "%s: %s\n", error.path.c_str(), error.message.c_str());
        throw std::runtime_error("the sql plugin did not load from " CITYSENSE_PLUGIN_DIR);
    }
    std::unique_ptr<Sink> sink = registry.createSink("sql");
    sink->attach({"sink.bench", station(), Source::intern(station(), "sink.bench")});
    const std::map<std::string, std::string> raw{
        {"connector", "mysql"},
        {"connection", "host=" + setup.host + ";port=" + std::to_string(setup.port) +
                           ";db=" + setup.database + ";user=" + setup.user},
        {"password_file", setup.passwordFile},
        {"create_schema", "true"}};
    std::vector<OptionIssue> issues;
    const Options options = Options::parse(sink->options(), raw, issues);
    if (!issues.empty())
        throw std::runtime_error("sink option " + issues.front().key + ": " + issues.front().message);
    sink->configure(options);
    sink->open();
    return sink;
}

Run sinkRun(const Setup& setup, const std::vector<SampleBatch>& batches) {
    PluginRegistry registry;
    std::unique_ptr<Sink> sink = openSink(setup, registry);
    std::size_t written = 0;
    Run run;
    const Stopwatch stopwatch(setup.serverPid);
    try {
        for (const auto& batch : batches) {
            sink->write(batch);
            written += batch.size();
        }
        run = stopwatch.finish(written);
    } catch (const std::exception& error) {
        run.failure = "write() of batch " + std::to_string(written / kBatch + 1) + " failed: " + error.what();
    }
    sink->close();
    return run;
}

// ---- reporting ----

struct Side {
    const char* label;
    std::vector<Run> runs;

    std::vector<double> field(double Run::*member) const {
        std::vector<double> values;
        for (const Run& run : runs)
            values.push_back(run.*member);
        return values;
    }
    const Run* failed() const {
        const auto found =
            std::find_if(runs.begin(), runs.end(), [](const Run& run) { return !run.failure.empty(); });
        return found == runs.end() ? nullptr : &*found;
    }
    double rate() const { return median(field(&Run::rate)); }

    void print() const {
        if (const Run* run = failed()) {
            std::printf("  %-34s FAILED: %s\n", label, run->failure.c_str());
            return;
        }
        std::string each;
        for (const double rate : field(&Run::rate))
            each += (each.empty() ? "" : ", ") + std::to_string(std::lround(rate));
        std::printf("  %-34s %8.0f rows/s  CPU/row: client %5.2f us, server %5.2f us  (runs %s)\n", label,
                    rate(), median(field(&Run::clientCpu)), median(field(&Run::serverCpu)), each.c_str());
    }
};

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
    for (int i = 1; i < argc; ++i) {
        const std::string key = argv[i];
        if (i + 1 >= argc)
            throw std::invalid_argument(key + " needs a value");
        const std::string value = argv[++i];
        if (key == "--host")
            setup.host = value;
        else if (key == "--port")
            setup.port = static_cast<unsigned>(std::stoul(value));
        else if (key == "--database")
            setup.database = value;
        else if (key == "--user")
            setup.user = value;
        else if (key == "--password-file")
            setup.passwordFile = value;
        else if (key == "--server-pid")
            setup.serverPid = std::stol(value);
        else if (key == "--rows")
            setup.rows = std::stoul(value);
        else if (key == "--runs")
            setup.runs = std::stoi(value);
        else
            throw std::invalid_argument("unknown option " + key);
    }
    if (setup.user.empty() || setup.passwordFile.empty() || setup.rows == 0 || setup.runs < 1)
        throw std::invalid_argument(
            "usage: citysense-bench-sql --host H --port N --database DB --user U --password-file FILE "
            "[--server-pid PID] [--rows N] [--runs N]");
    return setup;
}

bool measure(const Setup& setup) {
    const std::vector<SampleBatch> batches = makeBatches(setup.rows);
    Connection connection({setup.host, setup.port, setup.user, setup.passwordFile, setup.database}, true);
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
        mysql_get_server_info(connection.handle()), setup.host.c_str(), setup.port, rows.size(), ids.size(),
        kBatch, setup.runs);

    Side sink{"sink (sql plugin, write()):", {}};
    Side single{"single-row prepared, commit/1000:", {}};
    Side multi{"libmariadb 1000-row prepared:", {}};
    Side perBatch{"  same, prepared for every batch:", {}};
    Side asText{"  same, time bound as text:", {}};
    Side load{"LOAD DATA LOCAL INFILE:", {}};
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
    sink.print();
    single.print();
    multi.print();
    perBatch.print();
    asText.print();
    load.print();
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
    try {
        setup = parse(argc, argv);
    } catch (const std::exception& error) {
        std::fprintf(stderr, "citysense-bench-sql: %s\n", error.what());
        return 64;
    }
    Poco::Logger::root().setLevel(Poco::Message::PRIO_WARNING);
    try {
        return measure(setup) ? 0 : 1;
    } catch (const std::exception& error) {
        std::fprintf(stderr, "citysense-bench-sql: %s\n", error.what());
        return 1;
    }
}
