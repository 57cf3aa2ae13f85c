// citysense-api over a large MariaDB readings store, against the goals of issue 12:
//   page          a page of 1,000 Observations of one Datastream after a time (the second page, the
//                 @iot.nextLink of the first), against the bare SQL query for the same rows through
//                 libmariadb (the baseline, measured alternately in the same run): ratio, goal <= 1.5.
//                 The baseline is the same range of the same index (the service reads one row more, to
//                 know whether a page follows), in the text protocol, its rows read and dropped; the
//                 page's body is read and dropped alike. The baseline leaves out what any HTTP answer
//                 of those rows costs: the request, one more process woken on the way (client, service,
//                 server), 350 kB of JSON written and received by a client that shares CPU 0 with the
//                 service, against 40 kB of rows.
//   CSV export    a sensor-year of readings as CSV (Datastreams(id)/Observations?$resultFormat=csv),
//                 rows/s, goal >= 100,000, beside the bare SQL reading the same rows
//   aggregates    a sensor-year of hourly aggregates (Datastreams(id)/Aggregates?interval=1h), goal < 1 s
//   $count        of all Observations (/v1.1/Observations?$count=true&$top=1), goal < 100 ms, beside
//                 SELECT COUNT(*); a 400 (not served yet) is reported as such
//   latest        /latest.geojson over every station, goal < 200 ms
//   mixed         requests/s of a researcher's mix (entities, Datastreams of a Thing, pages of
//                 Observations, a day of hourly aggregates) from 50 concurrent clients
// The store (built first, unless it holds readings already): --stations stations, the first --sensors
// of them with an NO2 Datastream of --readings readings a minute apart up to two hours ago; one more NO2
// Datastream on station 1 with every minute of 2025 (525,600 readings); each other station a
// temperature Datastream of four readings; every sensor with its announced interval, a minute. Rows go
// in by LOAD DATA LOCAL INFILE, in key order.
//   citysense-bench-api --host H --port N --database DB --user U --password-file FILE --api URL
//                       [--stations N] [--sensors N] [--readings N] [--clients N] [--seconds N]
//                       [--only page|export|aggregates|count|latest|mixed]
// --only measures that goal alone (e.g. the page, again and again while trying a change).
// tools/benchmarks/api-throughput starts the server and the service.
#include "MariaDbConnection.h"

#include <citysense/Time.h>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include <unistd.h>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace {

using namespace citysense;
using namespace citysense::bench;
using Clock = std::chrono::steady_clock;

constexpr Micros kMinute = 60 * kMicrosPerSecond;
constexpr Micros kYear2025 = 1735689600LL * kMicrosPerSecond;  // 2025-01-01T00:00:00Z
constexpr std::size_t kYearReadings = 365 * 24 * 60;
constexpr std::size_t kRowsAFile = 1000000;

struct Setup {
    MariaDbAddress server;
    std::string api;
    std::size_t stations = 10000;
    std::size_t sensors = 1000;
    std::size_t readings = 10000;
    int clients = 50;
    int seconds = 10;
    std::string only;  ///< empty: every goal

    bool measures(const char* goal) const { return only.empty() || only == goal; }

    std::int64_t yearSensor() const { return static_cast<std::int64_t>(sensors) + 1; }
};

double secondsSince(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

// ---- the store ----

/// Rows of readings written to a file and loaded by LOAD DATA LOCAL INFILE, a million at a time.
class ReadingsLoader {
public:
    ReadingsLoader(MariaDbConnection& connection, std::filesystem::path file)
        : _connection(connection), _file(std::move(file)) {}

    void add(std::int64_t sensor, Micros time, double value) {
        if (!_out.is_open())
            _out.open(_file, std::ios::trunc);
        char line[96];
        const int length = std::snprintf(line, sizeof line, "%lld\t%s\t%.3f\t0\n",
                                         static_cast<long long>(sensor), formatSeedTime(time).c_str(), value);
        _out.write(line, length);
        if (++_rows == kRowsAFile)
            flush();
    }

    void flush() {
        if (_rows == 0)
            return;
        _out.close();
        _connection.run("LOAD DATA LOCAL INFILE '" + _file.string() +
                        "' INTO TABLE readings FIELDS TERMINATED BY '\\t' LINES TERMINATED BY '\\n' "
                        "(sensor_id, time, value, quality)");
        _connection.commit();
        _loaded += _rows;
        _rows = 0;
    }

    std::size_t loaded() const { return _loaded; }

private:
    MariaDbConnection& _connection;
    std::filesystem::path _file;
    std::ofstream _out;
    std::size_t _rows = 0;
    std::size_t _loaded = 0;
};

void buildStore(const Setup& setup, MariaDbConnection& connection) {
    const auto start = Clock::now();
    connection.run("SET SESSION unique_checks = 0, foreign_key_checks = 0");
    std::string sql;
    const auto flushSql = [&] {
        if (!sql.empty())
            connection.run(sql);
        sql.clear();
    };
    for (std::size_t station = 1; station <= setup.stations; ++station) {
        sql += (sql.empty() ? "INSERT INTO stations (id, system, city, street, latitude, longitude) VALUES "
                            : ", ") +
               std::string("(") + std::to_string(station) + ", 'bench', 'city', 'street_" +
               std::to_string(station) + "', " +
               std::to_string(52.0 + static_cast<double>(station % 100) / 100) + ", " +
               std::to_string(13.0 + static_cast<double>(station / 100) / 100) + ")";
        if (sql.size() > 500000)
            flushSql();
    }
    flushSql();
    // Every sensor reports a minute apart and says so, as a citysense gateway announces it (migration 003).
    const auto addSensor = [&](std::int64_t id, std::size_t station, const char* quantity, const char* unit,
                               const char* driver) {
        sql +=
            (sql.empty() ? "INSERT INTO sensors (id, station_id, quantity, unit, driver, interval_us) VALUES "
                         : ", ") +
            std::string("(") + std::to_string(id) + ", " + std::to_string(station) + ", '" + quantity +
            "', '" + unit + "', '" + driver + "', " + std::to_string(kMinute) + ")";
        if (sql.size() > 500000)
            flushSql();
    };
    for (std::size_t sensor = 1; sensor <= setup.sensors; ++sensor)
        addSensor(static_cast<std::int64_t>(sensor), sensor, "no2", "ppb", "driver.air");
    addSensor(setup.yearSensor(), 1, "no2", "ppb", "driver.year");
    for (std::size_t station = setup.sensors + 1; station <= setup.stations; ++station)
        addSensor(setup.yearSensor() + static_cast<std::int64_t>(station - setup.sensors), station,
                  "temperature", "Cel", "driver.climate");
    flushSql();
    connection.commit();

    ReadingsLoader loader(connection, std::filesystem::temp_directory_path() /
                                          ("citysense-bench-api-" + std::to_string(::getpid()) + ".tsv"));
    const Micros last = (nowMicros() - 2 * 3600 * kMicrosPerSecond) / kMinute * kMinute;
    for (std::size_t sensor = 1; sensor <= setup.sensors; ++sensor) {
        for (std::size_t at = 0; at < setup.readings; ++at)
            loader.add(static_cast<std::int64_t>(sensor),
                       last - static_cast<Micros>(setup.readings - 1 - at) * kMinute,
                       20 + static_cast<double>((at * 7 + sensor) % 30));
    }
    for (std::size_t at = 0; at < kYearReadings; ++at)
        loader.add(setup.yearSensor(), kYear2025 + static_cast<Micros>(at) * kMinute,
                   15 + static_cast<double>(at % 40));
    for (std::size_t station = setup.sensors + 1; station <= setup.stations; ++station) {
        for (Micros at = 3; at >= 0; --at)
            loader.add(setup.yearSensor() + static_cast<std::int64_t>(station - setup.sensors),
                       last - at * kMinute, 4.5);
    }
    loader.flush();
    std::printf("  store: %zu stations, %zu readings loaded in %.0f s\n", setup.stations, loader.loaded(),
                secondsSince(start));
}

// ---- the service ----

class ApiClient {
public:
    explicit ApiClient(const std::string& url)
        : _session(Poco::URI(url).getHost(), Poco::URI(url).getPort()) {
        _session.setKeepAlive(true);
        _session.setTimeout(Poco::Timespan(120, 0));
    }

    /// GETs `target`; its status. `body`: what is kept of the body, at most its first `keep` bytes;
    /// `lines`: the body's newlines counted. What is not kept is read and dropped.
    int get(const std::string& target, std::string* body = nullptr, std::size_t* lines = nullptr,
            std::size_t keep = std::string::npos) {
        Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, target,
                                       Poco::Net::HTTPMessage::HTTP_1_1);
        _session.sendRequest(request);
        Poco::Net::HTTPResponse response;
        std::istream& in = _session.receiveResponse(response);
        char buffer[65536];
        std::size_t newlines = 0;
        while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
            const auto read = static_cast<std::size_t>(in.gcount());
            if (body && body->size() < keep)
                body->append(buffer, std::min(read, keep - body->size()));
            for (std::size_t at = 0; at < read; ++at)
                newlines += buffer[at] == '\n';
        }
        if (lines)
            *lines = newlines;
        return response.getStatus();
    }

private:
    Poco::Net::HTTPClientSession _session;
};

/// Seconds of one call of `work`.
template <typename Work>
double timed(Work&& work) {
    const auto start = Clock::now();
    work();
    return secondsSince(start);
}

/// Reads every row of a query, as a client of the bare SQL would.
std::size_t selectRows(MariaDbConnection& connection, const std::string& sql) {
    if (mysql_real_query(connection.handle(), sql.data(), sql.size()) != 0)
        connection.fail(sql);
    MYSQL_RES* result = mysql_use_result(connection.handle());
    std::size_t rows = 0;
    while (mysql_fetch_row(result))
        ++rows;
    mysql_free_result(result);
    return rows;
}

bool check(bool met, const char* goal) {
    std::printf("  goal %s: %s\n", goal, met ? "met" : "NOT met");
    return met;
}

/// The second page of 1,000 Observations of `sensor` (after the key its first page ends at: a range of
/// its primary key), and the time that page starts after, in the store's text.
std::pair<std::string, std::string> secondPage(ApiClient& client, std::int64_t sensor) {
    std::string body;
    const int status =
        client.get("/v1.1/Datastreams(" + std::to_string(sensor) + ")/Observations?$top=1000", &body);
    if (status != 200)
        throw std::runtime_error("a page answered " + std::to_string(status) + ": " + body.substr(0, 200));
    const auto page = Poco::JSON::Parser().parse(body).extract<Poco::JSON::Object::Ptr>();
    const auto values = page->getArray("value");
    const auto last = parseIsoTime(values->getObject(static_cast<unsigned>(values->size() - 1))
                                       ->getValue<std::string>("phenomenonTime"));
    if (!page->has("@iot.nextLink") || !last)
        throw std::runtime_error("the first page has no @iot.nextLink or no time");
    const Poco::URI next(page->getValue<std::string>("@iot.nextLink"));
    return {next.getPathAndQuery(), formatSeedTime(*last)};
}

bool measurePage(const Setup& setup, MariaDbConnection& connection, ApiClient& client) {
    std::mt19937 random(12);
    std::vector<double> api, sql;
    for (int run = 0; run < 40; ++run) {
        const auto sensor = static_cast<std::int64_t>(random() % setup.sensors + 1);
        const auto [target, after] = secondPage(client, sensor);
        const std::string bare = "SELECT sensor_id, time, value, quality FROM readings WHERE sensor_id = " +
                                 std::to_string(sensor) + " AND time > '" + after +
                                 "' ORDER BY time LIMIT 1000";
        // Both timed reads find the rows in the buffer pool: on a kept store (--keep) a server just
        // started holds a quarter of what it held (innodb_buffer_pool_dump_pct), and the first read of
        // a page's rows, the service's, would fetch them for the bare query's.
        selectRows(connection, bare);
        // The page read and dropped, as the bare query's rows are: kept, its 350 kB would cost the
        // client more than the service (a string grown in fresh memory, 170 page faults).
        std::string body;
        int status = 0;
        api.push_back(timed([&] { status = client.get(target, &body, nullptr, 200); }));
        if (status != 200)
            throw std::runtime_error("a page answered " + std::to_string(status) + ": " +
                                     body.substr(0, 200));
        std::size_t rows = 0;
        sql.push_back(timed([&] { rows = selectRows(connection, bare); }));
        if (rows != 1000)
            throw std::runtime_error("the bare query read " + std::to_string(rows) + " rows");
    }
    const double ratio = median(api) / median(sql);
    std::printf(
        "page of 1,000 Observations of one Datastream, the second (after a time: @iot.nextLink), 40 "
        "Datastreams:\n");
    std::printf("  citysense-api %7.2f ms   bare SQL (libmariadb) %7.2f ms   ratio %.2f\n", median(api) * 1e3,
                median(sql) * 1e3, ratio);
    return check(ratio <= 1.5, "<= 1.5x the bare query");
}

bool measureExport(const Setup& setup, MariaDbConnection& connection, ApiClient& client) {
    const std::string id = std::to_string(setup.yearSensor());
    std::size_t lines = 0;
    int status = 0;
    std::vector<double> api, sql;
    for (int run = 0; run < 3; ++run) {
        api.push_back(timed([&] {
            status =
                client.get("/v1.1/Datastreams(" + id + ")/Observations?$resultFormat=csv", nullptr, &lines);
        }));
        if (status != 200 || lines != kYearReadings + 1)
            throw std::runtime_error("the export answered " + std::to_string(status) + " with " +
                                     std::to_string(lines) + " lines");
        sql.push_back(timed([&] {
            selectRows(connection, "SELECT time, value, quality FROM readings WHERE sensor_id = " + id +
                                       " ORDER BY time");
        }));
    }
    const double rate = static_cast<double>(kYearReadings) / median(api);
    std::printf("CSV export of a sensor-year (%zu rows):\n", kYearReadings);
    std::printf("  citysense-api %9.0f rows/s   bare SQL %9.0f rows/s   ratio %.2f\n", rate,
                static_cast<double>(kYearReadings) / median(sql),
                rate / (static_cast<double>(kYearReadings) / median(sql)));
    return check(rate >= 100000, ">= 100,000 rows/s");
}

bool measureAggregates(const Setup& setup, ApiClient& client) {
    std::vector<double> times;
    for (int run = 0; run < 3; ++run) {
        std::string body;
        int status = 0;
        times.push_back(timed([&] {
            status =
                client.get("/v1.1/Datastreams(" + std::to_string(setup.yearSensor()) +
                               ")/Aggregates?interval=1h&from=2025-01-01T00:00:00Z&to=2026-01-01T00:00:00Z",
                           &body);
        }));
        if (status != 200)
            throw std::runtime_error("Aggregates answered " + std::to_string(status) + ": " +
                                     body.substr(0, 200));
    }
    std::printf("hourly aggregates of a sensor-year (8,760 hours from 525,600 readings):\n  %.3f s\n",
                median(times));
    return check(median(times) < 1.0, "< 1 s");
}

bool measureCount(MariaDbConnection& connection, ApiClient& client) {
    std::string body;
    int status = 0;
    const double api = timed([&] { status = client.get("/v1.1/Observations?$count=true&$top=1", &body); });
    std::size_t rows = 0;
    const double sql = timed([&] { rows = selectRows(connection, "SELECT COUNT(*) FROM readings"); });
    std::printf("$count of all Observations:\n");
    std::printf("  bare SELECT COUNT(*) %.3f s\n", sql);
    if (status != 200) {
        std::printf("  citysense-api: %d, not served yet: %s\n", status, body.substr(0, 160).c_str());
        return check(false, "< 100 ms");
    }
    std::printf("  citysense-api %.3f s\n", api);
    return check(api < 0.1 && rows == 1, "< 100 ms");
}

bool measureLatest(const Setup& setup, ApiClient& client) {
    std::vector<double> times;
    std::string body;
    for (int run = 0; run < 5; ++run) {
        body.clear();
        int status = 0;
        times.push_back(timed([&] { status = client.get("/latest.geojson", &body); }));
        if (status != 200)
            throw std::runtime_error("/latest.geojson answered " + std::to_string(status));
    }
    const auto features =
        Poco::JSON::Parser().parse(body).extract<Poco::JSON::Object::Ptr>()->getArray("features");
    std::printf("/latest.geojson of %zu stations (%zu features, %zu kB):\n  %.0f ms\n", setup.stations,
                features->size(), body.size() / 1024, median(times) * 1e3);
    return check(median(times) < 0.2 && features->size() == setup.stations, "< 200 ms");
}

void measureMixed(const Setup& setup) {
    std::atomic<std::size_t> done{0};
    std::atomic<std::size_t> failed{0};
    const auto end = Clock::now() + std::chrono::seconds(setup.seconds);
    std::vector<std::thread> clients;
    for (int client = 0; client < setup.clients; ++client) {
        clients.emplace_back([&, client] {
            std::mt19937 random(static_cast<unsigned>(client));
            auto api = std::make_unique<ApiClient>(setup.api);
            while (Clock::now() < end) {
                const auto sensor = std::to_string(random() % setup.sensors + 1);
                const auto station = std::to_string(random() % setup.stations + 1);
                const unsigned pick = random() % 20;
                std::string target;
                if (pick < 8)
                    target = "/v1.1/Datastreams(" + sensor + ")/Observations?$top=100";
                else if (pick < 12)
                    target = "/v1.1/Things(" + station + ")";
                else if (pick < 16)
                    target = "/v1.1/Things(" + station + ")/Datastreams";
                else if (pick < 19)
                    target = "/v1.1/Datastreams(" + std::to_string(setup.yearSensor()) +
                             ")/Aggregates?interval=1h&from=2025-06-01T00:00:00Z&to=2025-06-02T00:00:00Z";
                else
                    target = "/v1.1/Things?$top=100";
                try {
                    (api->get(target) == 200 ? done : failed)++;
                } catch (const Poco::Exception&) {
                    ++failed;  // and a new connection
                    api = std::make_unique<ApiClient>(setup.api);
                }
            }
        });
    }
    for (auto& thread : clients)
        thread.join();
    std::printf(
        "mixed workload, %d clients for %d s (40%% pages of 100 Observations, 20%% Things, 20%% their "
        "Datastreams, 15%% a day of hourly aggregates, 5%% Things pages):\n",
        setup.clients, setup.seconds);
    std::printf("  %.0f requests/s, %zu failed\n", static_cast<double>(done) / setup.seconds, failed.load());
}

Setup parse(int argc, char** argv) {
    Setup setup;
    OptionSetters setters = addressOptions(setup.server);
    setters["--api"] = storeIn(setup.api);
    setters["--stations"] = storeIn(setup.stations);
    setters["--sensors"] = storeIn(setup.sensors);
    setters["--readings"] = storeIn(setup.readings);
    setters["--clients"] = storeIn(setup.clients);
    setters["--seconds"] = storeIn(setup.seconds);
    setters["--only"] = storeIn(setup.only);
    parseOptions(argc, argv, setters);
    if (setup.api.empty() || setup.server.user.empty())
        throw std::invalid_argument("--api and --user are required");
    if (setup.readings < 2000)
        throw std::invalid_argument(
            "--readings must be 2000 or more: the page measured is the second of 1,000");
    const std::vector<std::string> goals{"page", "export", "aggregates", "count", "latest", "mixed"};
    if (!setup.only.empty() && std::find(goals.begin(), goals.end(), setup.only) == goals.end())
        throw std::invalid_argument("--only takes page, export, aggregates, count, latest or mixed");
    if (setup.sensors == 0 || setup.sensors > setup.stations)
        throw std::invalid_argument("--sensors must be from 1 to --stations");
    return setup;
}

bool measure(const Setup& setup) {
    MariaDbConnection connection(setup.server, true);
    if (connection.select("SELECT COUNT(*) FROM sensors").at(0).at(0) == "0")
        buildStore(setup, connection);
    ApiClient client(setup.api);
    bool met = true;
    if (setup.measures("page"))
        met = measurePage(setup, connection, client) && met;
    if (setup.measures("export"))
        met = measureExport(setup, connection, client) && met;
    if (setup.measures("aggregates"))
        met = measureAggregates(setup, client) && met;
    if (setup.measures("count"))
        met = measureCount(connection, client) && met;
    if (setup.measures("latest"))
        met = measureLatest(setup, client) && met;
    if (setup.measures("mixed"))
        measureMixed(setup);
    return met;
}

}  // namespace

int main(int argc, char** argv) {
    std::setvbuf(stdout, nullptr, _IOLBF, 0);  // each figure as it is measured, also into a file
    Setup setup;
    return benchmarkMain(
        "citysense-bench-api", [&] { setup = parse(argc, argv); }, [&] { return measure(setup) ? 0 : 1; });
}
