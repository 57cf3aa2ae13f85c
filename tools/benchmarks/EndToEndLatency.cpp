// End-to-end latency of a reading, publish on a gateway → broker → ingest → row committed in MariaDB, as a
// reader of the database sees it. tools/benchmarks/end-to-end-latency starts the broker, the server, the
// gateway (citysensed, simulated driver, mqtt sink) and the ingest (citysensed, mqtt_source → sql sink);
// this program is the reader.
//
// A reading's latency is (the moment its row is visible to a reader) − (its timestamp). The simulated driver
// stamps each sample with the system clock at the read, just before it is queued for publishing; this
// program runs on the same machine and reads the same clock. It polls every --poll-ms with autocommit on,
// READ COMMITTED, asking for the rows each sensor stored after the newest one it has seen:
//   SELECT sensor_id, time FROM readings WHERE (sensor_id = 1 AND time > '…') OR (sensor_id = 2 AND …) …
// which the primary key (sensor_id, time) serves as ranges, not a scan of the growing table. A row first
// returned by the poll started at P was committed after the previous poll's start and before P (each
// statement reads what was committed when it starts), so P − time is the latency rounded up to the poll
// period: that period (measured, printed) is the resolution.
//
// After --warmup seconds the window starts: rows whose timestamps fall in the next --seconds are measured,
// and polling goes on for --grace seconds after the window so that the window's last rows arrive too. At
// the end one COUNT(*) of the window's rows checks that the poller saw every row stored.
//
// With --mqtt-uri it also subscribes to the readings beside the ingest (LatencyObserver.h), so that each
// reading's latency splits into read → delivered by the broker and the rest (the ingest, its sql sink,
// the commit). A timeline then gives, for each second of the window (by the readings' timestamps), the
// readings stored and both latencies' p50/p99/max: a stall shows as a second whose max jumps, and which
// of the two jumps says on which side of the broker's delivery it happened. With --gateway-metrics the
// timeline also gives the deepest the gateway's sink queue was in each second (QueueWatch.h).
//   citysense-bench-latency --host H --port N --database DB --user U --password-file FILE
//                           [--label TEXT] [--warmup S] [--seconds S] [--grace S] [--poll-ms MS]
//                           [--rate R] [--min-fraction F] [--trace FILE]
//                           [--timeline on|off] [--stall-ms MS] [--gateway-metrics PORT] [--goal-p99-ms MS]
//                           [--mqtt-uri URI --mqtt-user U --mqtt-password-file FILE [--mqtt-filter F]]
// Exits 1 when the rate stored in the window is below F (default 0.9) of --rate (default 10000 a second):
// the latency of a pipeline that does not keep up is only its backlog. With --goal-p99-ms it says whether
// issue 15's goal is met: p99 below MS with every reading stored and seen (a missed goal alone does not
// make the exit status 1).
#include "BenchSupport.h"
#include "LatencyObserver.h"
#include "LatencyTimeline.h"
#include "MariaDbConnection.h"
#include "QueueWatch.h"

#include <citysense/Time.h>

#include <mysql.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

namespace {

using namespace citysense;
using namespace citysense::bench;

struct Setup {
    MariaDbAddress server;
    std::string label;
    double warmup = 5;
    double seconds = 20;
    double grace = 5;
    double pollMs = 2;
    double rate = 10000;
    double minFraction = 0.9;
    std::string trace;  ///< a file for "timestamp latency" lines (microseconds), one per row
    ObserverSettings observer;
    unsigned gatewayMetricsPort = 0;  ///< the gateway's /metrics, for its sink queue (QueueWatch); 0: none
    bool timeline = true;
    double stallMs = 100;  ///< a second with a row later than this is named in the timeline's summary
    double goalP99Ms = 0;  ///< the p99 goal this case is held to; 0: none
};

/// Set up once the ingest has created it: the poller waits for the schema before it polls.
bool tableExists(MariaDbConnection& db, const std::string& table) {
    return !db.select(
                  "SELECT 1 FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = "
                  "'" +
                  table + "'")
                .empty();
}

int run(const Setup& setup) {
    std::unique_ptr<LatencyObserver> observer;
    if (!setup.observer.uri.empty())
        observer = std::make_unique<LatencyObserver>(setup.observer);
    std::unique_ptr<QueueWatch> gatewayQueue;
    if (setup.gatewayMetricsPort > 0)
        gatewayQueue = std::make_unique<QueueWatch>(setup.gatewayMetricsPort, "sink.broker");
    MariaDbConnection db(setup.server, false);
    mysql_autocommit(db.handle(), 1);
    db.run("SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED");
    // The ingest creates the schema and its sensors as the first readings arrive.
    const Micros started = nowMicros();
    while (!tableExists(db, "readings") || db.select("SELECT 1 FROM readings LIMIT 1").empty()) {
        if (nowMicros() - started > 60 * 1000000LL)
            throw std::runtime_error("no readings stored within 60 s: is the pipeline running?");
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    std::this_thread::sleep_for(std::chrono::duration<double>(setup.warmup));

    std::vector<std::string> sensors;
    for (const auto& row : db.select("SELECT id FROM sensors ORDER BY id"))
        sensors.push_back(row[0]);
    const Micros windowStart = nowMicros();
    const Micros windowEnd = windowStart + static_cast<Micros>(setup.seconds * 1e6);
    const Micros pollEnd = windowEnd + static_cast<Micros>(setup.grace * 1e6);
    const std::string endText = formatSeedTime(windowEnd);
    LatencyTimeline timeline(windowStart, static_cast<std::size_t>(std::ceil(setup.seconds)));
    std::map<std::string, Micros> newest;  // per sensor: the newest time seen
    for (const auto& sensor : sensors)
        newest[sensor] = windowStart - 1;

    FILE* trace = setup.trace.empty() ? nullptr : std::fopen(setup.trace.c_str(), "w");
    std::vector<Micros> latencies;
    std::vector<std::pair<Micros, Micros>> seen;  // with an observer: each row's time and when it was seen
    latencies.reserve(static_cast<std::size_t>(setup.rate * setup.seconds * 1.2));
    std::size_t visibleInWindow =
        0;  // rows (of any timestamp ≥ the start) first seen by a poll inside the window
    std::vector<Micros> periods;
    std::vector<Micros> queryTimes;
    Micros previousPoll = 0;
    const auto period = std::chrono::microseconds(static_cast<Micros>(setup.pollMs * 1000));
    auto next = std::chrono::steady_clock::now();
    while (true) {
        std::this_thread::sleep_until(next);
        next += period;
        const auto steadyNow = std::chrono::steady_clock::now();
        if (next < steadyNow)
            next = steadyNow;  // a slow poll: no burst of polls to catch up
        const Micros poll = nowMicros();
        if (poll >= pollEnd)
            break;
        std::string sql = "SELECT sensor_id, time FROM readings WHERE ";
        for (std::size_t i = 0; i < sensors.size(); ++i) {
            if (i)
                sql += " OR ";
            sql += "(sensor_id = " + sensors[i] + " AND time > '" + formatSeedTime(newest[sensors[i]]) +
                   "' AND time < '" + endText + "')";
        }
        const auto rows = db.select(sql);
        const Micros answered = nowMicros();
        if (previousPoll)
            periods.push_back(poll - previousPoll);
        previousPoll = poll;
        queryTimes.push_back(answered - poll);
        for (const auto& row : rows) {
            const Micros time = parseSqlTime(row[1].c_str());
            Micros& last = newest[row[0]];
            last = std::max(last, time);
            latencies.push_back(poll - time);
            timeline.add(LatencyTimeline::Row, time, poll - time);
            if (observer)
                seen.push_back({time, poll});
            if (trace)
                std::fprintf(trace, "%lld %lld\n", static_cast<long long>(time),
                             static_cast<long long>(poll - time));
            if (poll < windowEnd)
                ++visibleInWindow;
        }
    }

    if (trace)
        std::fclose(trace);
    // Every row of the window the poller should have seen, now that the grace is over.
    std::string countSql = "SELECT COUNT(*) FROM readings WHERE time >= '" + formatSeedTime(windowStart) +
                           "' AND time < '" + endText + "'";
    const std::size_t stored = std::stoull(db.select(countSql).at(0).at(0));

    // The broker delivers a read's readings (one a quantity, all with the read's time) to the ingest as
    // to the observer: the ingest's part of a row's latency is from the last of them to the row.
    std::vector<Micros> deliveries;
    std::vector<Micros> ingestParts;
    if (observer) {
        std::unordered_map<Micros, Micros> lastDelivery;
        for (const Delivery& delivery : observer->take())
            if (delivery.time >= windowStart && delivery.time < windowEnd) {
                deliveries.push_back(delivery.delivered - delivery.time);
                timeline.add(LatencyTimeline::Delivery, delivery.time, delivery.delivered - delivery.time);
                Micros& last = lastDelivery[delivery.time];
                last = std::max(last, delivery.delivered);
            }
        for (const auto& [time, visible] : seen)
            if (const auto found = lastDelivery.find(time); found != lastDelivery.end()) {
                ingestParts.push_back(visible - found->second);
                timeline.add(LatencyTimeline::Ingest, time, visible - found->second);
            }
    }
    if (gatewayQueue)
        for (const auto& [at, depth] : gatewayQueue->take())
            timeline.addQueueDepth(at, depth);
    std::sort(deliveries.begin(), deliveries.end());
    std::sort(ingestParts.begin(), ingestParts.end());
    std::sort(latencies.begin(), latencies.end());
    std::sort(periods.begin(), periods.end());
    std::sort(queryTimes.begin(), queryTimes.end());
    const double storedRate = static_cast<double>(visibleInWindow) / setup.seconds;
    const double offeredRate = static_cast<double>(stored) / setup.seconds;
    const auto ms = [](Micros micros) { return static_cast<double>(micros) / 1000.0; };

    std::printf("  %s\n", setup.label.c_str());
    std::printf(
        "    rows: %zu with timestamps in the %.0f s window (%.0f/s produced and stored), "
        "%zu seen by the poller",
        stored, setup.seconds, offeredRate, latencies.size());
    if (latencies.size() != stored)
        std::printf(" (MISSED %zd)", static_cast<long>(stored) - static_cast<long>(latencies.size()));
    std::printf("\n    achieved: %.0f rows/s became visible during the window (goal %.0f/s)\n", storedRate,
                setup.rate);
    std::printf("    latency ms: p50 %.1f  p90 %.1f  p99 %.1f  max %.1f  (min %.1f)\n",
                percentileMs(latencies, 50), percentileMs(latencies, 90), percentileMs(latencies, 99),
                latencies.empty() ? 0.0 : ms(latencies.back()),
                latencies.empty() ? 0.0 : ms(latencies.front()));
    if (observer) {
        std::printf(
            "    of which read -> broker delivery ms: p50 %.1f  p90 %.1f  p99 %.1f  max %.1f  (%zu "
            "delivered)\n",
            percentileMs(deliveries, 50), percentileMs(deliveries, 90), percentileMs(deliveries, 99),
            percentileMs(deliveries, 100), deliveries.size());
        std::printf("    of which delivery -> row visible ms: p50 %.1f  p90 %.1f  p99 %.1f  max %.1f\n",
                    percentileMs(ingestParts, 50), percentileMs(ingestParts, 90),
                    percentileMs(ingestParts, 99), percentileMs(ingestParts, 100));
    }
    std::printf(
        "    resolution: polls every %.2f ms median, %.2f ms p99 (%zu polls; a query took %.2f ms median, "
        "%.2f ms p99)\n",
        percentileMs(periods, 50), percentileMs(periods, 99), periods.size() + 1,
        percentileMs(queryTimes, 50), percentileMs(queryTimes, 99));
    if (gatewayQueue && gatewayQueue->malformed() > 0)
        std::printf("    the gateway's /metrics had %llu queue depth lines whose value was not a number\n",
                    static_cast<unsigned long long>(gatewayQueue->malformed()));
    if (setup.timeline)
        timeline.print(setup.stallMs);
    int status = 0;
    if (storedRate < setup.minFraction * setup.rate) {
        std::printf(
            "    FAIL: %.0f rows/s stored is below %.0f%% of %.0f/s: the latency above is a backlog's\n",
            storedRate, setup.minFraction * 100, setup.rate);
        status = 1;
    }
    if (latencies.size() != stored) {
        std::printf("    FAIL: the poller saw %zu of the %zu rows stored\n", latencies.size(), stored);
        status = 1;
    }
    if (setup.goalP99Ms > 0) {
        const double p99 = percentileMs(latencies, 99);
        std::printf("    goal p99 < %.0f ms with every reading stored: %.1f ms %s\n", setup.goalP99Ms, p99,
                    p99 < setup.goalP99Ms && status == 0 ? "met" : "NOT met");
    }
    std::fflush(stdout);
    return status;
}

}  // namespace

int main(int argc, char** argv) {
    Setup setup;
    const auto parse = [&] {
        OptionSetters setters = addressOptions(setup.server);
        setters.insert({{"--label", storeIn(setup.label)},
                        {"--warmup", storeIn(setup.warmup)},
                        {"--seconds", storeIn(setup.seconds)},
                        {"--grace", storeIn(setup.grace)},
                        {"--poll-ms", storeIn(setup.pollMs)},
                        {"--rate", storeIn(setup.rate)},
                        {"--trace", storeIn(setup.trace)},
                        {"--min-fraction", storeIn(setup.minFraction)},
                        {"--timeline", [&](const std::string& value) { setup.timeline = value != "off"; }},
                        {"--stall-ms", storeIn(setup.stallMs)},
                        {"--goal-p99-ms", storeIn(setup.goalP99Ms)},
                        {"--mqtt-uri", storeIn(setup.observer.uri)},
                        {"--mqtt-user", storeIn(setup.observer.username)},
                        {"--mqtt-password-file", storeIn(setup.observer.passwordFile)},
                        {"--mqtt-filter", storeIn(setup.observer.filter)},
                        {"--gateway-metrics", storeIn(setup.gatewayMetricsPort)}});
        parseOptions(argc, argv, setters);
        if (setup.server.user.empty() || setup.server.passwordFile.empty())
            throw std::invalid_argument("--user and --password-file are required");
    };
    return benchmarkMain("citysense-bench-latency", parse, [&] { return run(setup); });
}
