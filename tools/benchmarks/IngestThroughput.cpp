// Readings a second one ingest (or N in one shared-subscription group) stores in MariaDB from many
// gateways publishing at QoS 1 (issue 15: one ingest ≥ 50,000 readings/s; N ingests ≥ 0.8·N× one).
// tools/benchmarks/ingest-throughput starts the broker, MariaDB and the ingests; this program is the
// gateways (IngestFlood.h, as fast as the broker acknowledges) and the report.
//
// The rate stored is read from the ingests' own /metrics (citysense_samples_delivered_total of their sql
// sinks: what they committed), summed, between the end of --warmup and the end of publishing; a line
// gives it second by second. After publishing, once the ingests have caught up, one COUNT(*) checks
// that every acknowledged reading is in the table once (the readings key makes a second copy
// impossible; what the ingests delivered beyond the rows is a replay the key absorbed). The CPU each
// watched process used over the measured seconds says what limits the rate.
//
// On a small machine the gateways take cores the pipeline would use, so a second measurement leaves
// them out: with the ingests stopped (their persistent sessions stay), `--phase fill` publishes for
// --seconds into the broker, which queues the readings for the sessions, and prints the backlog; the
// script starts the ingests again and `--phase drain` measures how fast they store it.
//   citysense-bench-ingest [--phase live|fill|drain] --uri URI --identities FILE --gateways N [--window W]
//                          [--seconds S] [--warmup S] --metrics NAME=PORT ... [--watch NAME=PID ...]
//                          [--goal R] [--single R] [--backlog N --rows-before N]
//                          --host H --port P --database DB --user U --password-file FILE [--label TEXT]
// --single is the rate of one ingest measured before, for the scaling ratio of N = the --metrics given;
// --backlog and --rows-before are what the fill phase printed (BACKLOG, ROWS_BEFORE), for the drain.
// Exits 1 when a reading is lost, not when a goal is missed (the report says met / NOT met).
#include "BenchSupport.h"
#include "IngestFlood.h"
#include "MariaDbConnection.h"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <istream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace {

using namespace citysense;
using namespace citysense::bench;

struct Named {
    std::string name;
    long value;
};

struct Setup {
    std::string phase = "live";
    FloodSettings flood;
    MariaDbAddress server;
    std::vector<Named> metrics;  ///< ingest name = its http_listen port
    std::vector<Named> watched;  ///< process name = pid
    double seconds = 30;
    double warmup = 10;
    double goal = 50000;
    double single = 0;
    double backlog = 0;     ///< drain: the readings the broker queued
    double rowsBefore = 0;  ///< drain: the rows stored before the fill
    std::string label;
};

/// What an ingest's sql sink (sink.db) delivered so far.
double delivered(long port) {
    Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port));
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, "/metrics");
    session.sendRequest(request);
    Poco::Net::HTTPResponse response;
    std::istream& body = session.receiveResponse(response);
    const std::string prefix = "citysense_samples_delivered_total{instance=\"sink.db\"";
    std::string line;
    while (std::getline(body, line))
        if (line.rfind(prefix, 0) == 0)
            return std::stod(line.substr(line.rfind(' ') + 1));
    throw std::runtime_error("no sink.db in the /metrics of port " + std::to_string(port));
}

double deliveredByAll(const Setup& setup) {
    double sum = 0;
    for (const Named& ingest : setup.metrics)
        sum += delivered(ingest.value);
    return sum;
}

std::vector<double> cpuOfWatched(const Setup& setup) {
    std::vector<double> cpu;
    for (const Named& process : setup.watched)
        cpu.push_back(processCpuMicros(process.value));
    cpu.push_back(ownCpuMicros());
    return cpu;
}

/// The machine's load average over the last minute (/proc/loadavg).
double loadAverage() {
    std::ifstream file("/proc/loadavg");
    double load = 0;
    file >> load;
    return load;
}

const char* verdict(bool met) {
    return met ? "met" : "NOT met";
}

/// Each watched process's CPU over the measured seconds, and this program's as `self`. A machine shared
/// with other work gives each process less than it could use: its CPU time per reading says what it
/// would take with a core of its own.
void printCpu(const Setup& setup, const std::vector<double>& from, const std::vector<double>& to,
              double readings, double seconds, const char* self) {
    std::printf("    CPU over those seconds, cores used (µs per reading stored):");
    for (std::size_t i = 0; i <= setup.watched.size(); ++i) {
        const double used = to[i] - from[i];
        std::printf(" %s %.2f (%.1f)", i < setup.watched.size() ? setup.watched[i].name.c_str() : self,
                    seconds > 0 ? used / 1e6 / seconds : 0.0, readings > 0 ? used / readings : 0.0);
    }
    std::printf("; %u cores, load average %.1f\n", std::thread::hardware_concurrency(), loadAverage());
}

/// The lost count and the goals' verdicts, and RATE for the script; the exit status (1: lost readings).
int printVerdicts(const Setup& setup, double rate, double lost) {
    std::printf("    lost: %.0f (goal 0)\n", lost > 0 ? lost : 0);
    if (setup.metrics.size() == 1)
        std::printf("    one ingest: %.0f readings/s, %.2f of the goal %.0f/s: %s\n", rate, rate / setup.goal,
                    setup.goal, verdict(rate >= setup.goal));
    if (setup.single > 0) {
        const double ratio = rate / (setup.single * static_cast<double>(setup.metrics.size()));
        std::printf("    %zu ingests: %.0f readings/s, %.2f x %zu x one ingest's %.0f/s (goal 0.80): %s\n",
                    setup.metrics.size(), rate, ratio, setup.metrics.size(), setup.single,
                    verdict(ratio >= 0.8));
    }
    std::printf("RATE %.0f\n", rate);
    std::fflush(stdout);
    return lost > 0 ? 1 : 0;
}

int runLive(const Setup& setup) {
    IngestFlood flood(setup.flood);
    flood.connect();
    const Micros start = nowMicros();
    const Micros measureFrom = start + static_cast<Micros>(setup.warmup * 1e6);
    const Micros end = measureFrom + static_cast<Micros>(setup.seconds * 1e6);
    std::thread publisher([&] { flood.publishUntil(end); });
    // An ingest that does not answer ends the run; the publisher first.
    struct Joined {
        IngestFlood& flood;
        std::thread& thread;
        ~Joined() {
            if (thread.joinable()) {
                flood.stop();
                thread.join();
            }
        }
    } joined{flood, publisher};

    // Once a second: what the ingests stored.
    std::vector<double> perSecond;
    double measuredFrom = 0, measuredTo = 0;
    Micros fromTime = 0, toTime = 0;
    std::vector<double> cpuFrom, cpuTo;
    double previous = deliveredByAll(setup);
    for (Micros tick = start + kMicrosPerSecond; tick <= end; tick += kMicrosPerSecond) {
        std::this_thread::sleep_for(std::chrono::microseconds(std::max<Micros>(0, tick - nowMicros())));
        const double now = deliveredByAll(setup);
        perSecond.push_back(now - previous);
        previous = now;
        if (tick == measureFrom || (fromTime == 0 && tick > measureFrom)) {
            measuredFrom = now;
            fromTime = nowMicros();
            cpuFrom = cpuOfWatched(setup);
        }
    }
    measuredTo = previous;
    toTime = nowMicros();
    cpuTo = cpuOfWatched(setup);
    publisher.join();

    // Caught up: the ingests delivered every acknowledged reading, or nothing more for 10 s.
    double last = deliveredByAll(setup);
    Micros lastChange = nowMicros();
    while (last < static_cast<double>(flood.acknowledged()) &&
           nowMicros() - lastChange < 10 * kMicrosPerSecond) {
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        const double now = deliveredByAll(setup);
        if (now != last)
            lastChange = nowMicros();
        last = now;
    }
    MariaDbConnection db(setup.server, false);
    const double stored = std::stod(db.select("SELECT COUNT(*) FROM readings").at(0).at(0));

    const double window = static_cast<double>(toTime - fromTime) / 1e6;
    const double rate = (measuredTo - measuredFrom) / window;
    std::printf("  %s: %zu gateways over MQTT at QoS 1 (window %zu each), %zu ingest(s)\n",
                setup.label.c_str(), setup.flood.gateways, setup.flood.window, setup.metrics.size());
    std::printf("    stored per second:");
    for (std::size_t i = 0; i < perSecond.size(); ++i)
        std::printf("%s %.0f", i == static_cast<std::size_t>(setup.warmup) ? " |" : "", perSecond[i]);
    std::printf("\n    sustained: %.0f readings/s stored over %.1f s (after %.0f s warm-up)\n", rate, window,
                setup.warmup);
    printCpu(setup, cpuFrom, cpuTo, measuredTo - measuredFrom, window, "gateways");
    std::printf(
        "    readings: %zu published, %zu acknowledged, %zu refused; %.0f rows stored, %.0f delivered by "
        "the ingests\n",
        flood.published(), flood.acknowledged(), flood.refused(), stored, last);
    return printVerdicts(setup, rate, static_cast<double>(flood.acknowledged()) - stored);
}

/// The ingests are stopped: publishes for --seconds into their queued sessions.
int runFill(const Setup& setup) {
    MariaDbConnection db(setup.server, false);
    const std::string rowsBefore = db.select("SELECT COUNT(*) FROM readings").at(0).at(0);
    IngestFlood flood(setup.flood);
    flood.connect();
    flood.publishUntil(nowMicros() + static_cast<Micros>(setup.seconds * 1e6));
    std::printf(
        "    backlog: %zu readings published in %.0f s with the ingests stopped, %zu acknowledged by the "
        "broker, %zu refused\n",
        flood.published(), setup.seconds, flood.acknowledged(), flood.refused());
    std::printf("BACKLOG %zu\nROWS_BEFORE %s\n", flood.acknowledged(), rowsBefore.c_str());
    std::fflush(stdout);
    return flood.refused() > 0 ? 1 : 0;
}

/// What the restarted ingests delivered so far; -1 while one does not answer yet.
double deliveredOnceUp(const Setup& setup) {
    try {
        return deliveredByAll(setup);
    } catch (const Poco::Exception&) {
        return -1;
    }
}

/// The ingests were started again: how fast they store the backlog, from their first delivery to the last.
int runDrain(const Setup& setup) {
    constexpr auto kPoll = std::chrono::milliseconds(100);
    const Micros giveUpStarting = nowMicros() + 60 * kMicrosPerSecond;
    double first = -1;
    while ((first = deliveredOnceUp(setup)) <= 0 && nowMicros() < giveUpStarting)
        std::this_thread::sleep_for(kPoll);
    if (first < 0)
        throw std::runtime_error("the ingests did not answer on /metrics within 60 s");
    const Micros fromTime = nowMicros();
    const std::vector<double> cpuFrom = cpuOfWatched(setup);
    std::vector<double> perSecond;
    double last = first, secondStart = first;
    Micros lastChange = fromTime, nextSecond = fromTime + kMicrosPerSecond, toTime = fromTime;
    while (last < setup.backlog && nowMicros() - lastChange < 10 * kMicrosPerSecond) {
        std::this_thread::sleep_for(kPoll);
        const double now = deliveredByAll(setup);
        if (now != last) {
            lastChange = toTime = nowMicros();
            last = now;
        }
        if (nowMicros() >= nextSecond) {
            perSecond.push_back(last - secondStart);
            secondStart = last;
            nextSecond += kMicrosPerSecond;
        }
    }
    const std::vector<double> cpuTo = cpuOfWatched(setup);
    MariaDbConnection db(setup.server, false);
    const double stored = std::stod(db.select("SELECT COUNT(*) FROM readings").at(0).at(0));

    const double window = static_cast<double>(toTime - fromTime) / 1e6;
    const double rate = window > 0 ? (last - first) / window : 0;
    std::printf("  %s: the broker's backlog of %.0f readings, no gateway publishing, %zu ingest(s)\n",
                setup.label.c_str(), setup.backlog, setup.metrics.size());
    std::printf("    stored per second:");
    for (const double count : perSecond)
        std::printf(" %.0f", count);
    std::printf("\n    drained: %.0f readings/s stored over %.1f s (from the first delivery to the last)\n",
                rate, window);
    printCpu(setup, cpuFrom, cpuTo, last - first, window, "bench");
    std::printf(
        "    readings: %.0f queued; %.0f rows stored, %.0f before the backlog, %.0f delivered by the "
        "ingests\n",
        setup.backlog, stored, setup.rowsBefore, last);
    return printVerdicts(setup, rate, setup.rowsBefore + setup.backlog - stored);
}

Named named(const std::string& option, const std::string& value) {
    const std::size_t equals = value.find('=');
    if (equals == std::string::npos)
        throw std::invalid_argument(option + " takes NAME=NUMBER, not " + value);
    return {value.substr(0, equals), std::stol(value.substr(equals + 1))};
}

}  // namespace

int main(int argc, char** argv) {
    Setup setup;
    const auto parse = [&] {
        OptionSetters setters = addressOptions(setup.server);
        setters.insert(
            {{"--uri", storeIn(setup.flood.uri)},
             {"--identities", storeIn(setup.flood.identitiesFile)},
             {"--gateways", storeIn(setup.flood.gateways)},
             {"--window", storeIn(setup.flood.window)},
             {"--seconds", storeIn(setup.seconds)},
             {"--warmup", storeIn(setup.warmup)},
             {"--goal", storeIn(setup.goal)},
             {"--single", storeIn(setup.single)},
             {"--label", storeIn(setup.label)},
             {"--phase", storeIn(setup.phase)},
             {"--backlog", storeIn(setup.backlog)},
             {"--rows-before", storeIn(setup.rowsBefore)},
             {"--metrics",
              [&](const std::string& value) { setup.metrics.push_back(named("--metrics", value)); }},
             {"--watch",
              [&](const std::string& value) { setup.watched.push_back(named("--watch", value)); }}});
        parseOptions(argc, argv, setters);
        if (setup.phase != "live" && setup.phase != "fill" && setup.phase != "drain")
            throw std::invalid_argument("--phase takes live, fill or drain, not " + setup.phase);
        if (setup.phase != "drain" && (setup.flood.uri.empty() || setup.flood.identitiesFile.empty()))
            throw std::invalid_argument("--uri and --identities are required");
        if (setup.phase != "fill" && setup.metrics.empty())
            throw std::invalid_argument("--metrics is required");
        if (setup.phase == "drain" && setup.backlog <= 0)
            throw std::invalid_argument("--phase drain needs --backlog (the fill phase's BACKLOG)");
    };
    return benchmarkMain("citysense-bench-ingest", parse, [&] {
        if (setup.phase == "fill")
            return runFill(setup);
        return setup.phase == "drain" ? runDrain(setup) : runLive(setup);
    });
}
