// The city soak (issue 15): thousands of gateways, each its own identity and station, publishing the
// prototype's nine readings every 10 s in tsv at QoS 1 over TLS to Mosquitto, two ingests sharing the
// subscription, MariaDB behind them. tools/benchmarks/city-soak starts the broker, the database and the
// ingests and provisions the identities; this program plays the city and reports what became of every
// reading, how long it took to become visible in the database, and what the servers spent doing it.
//   citysense-bench-soak --uri ssl://H:P --ca-file FILE --identities FILE --clients N --duration S
//                        --monitor-user NAME --monitor-password-file FILE
//                        --host H --port N --database DB --user U --password-file FILE
//                        [--processes P] [--interval S] [--connect-rate R] [--poll-ms MS] [--lookback S]
//                        [--grace S] [--watch NAME=PID ...]
// The gateways are split into P processes (default one per 500 gateways: SoakFleet.h says why), forked
// before anything else starts; this one polls the database and reports.
// Readings: published (handed to a connected client), acknowledged (PUBACK), stored (a row), lost
// (acknowledged, no row), duplicated (rows beyond the first of a reading; the key (sensor, time) should
// make that impossible), unexpected (rows of no reading published). Latency: from the reading's time
// (when its gateway was due to publish it, which the generator keeps to within its printed lag) to the
// first poll that sees its row: visibility, which is commit plus at most one poll period. After the last
// publish the pipeline drains until every acknowledged reading has its row or the rows stop growing for
// --grace seconds (default 30).
// Exits 1 when a reading is lost or duplicated, a row is unexpected, or a gateway could not connect.
#include "BenchSupport.h"
#include "MariaDbConnection.h"
#include "SoakFleet.h"
#include "SoakLedger.h"
#include "SoakShared.h"
#include "SoakStore.h"

#include <mqtt/async_client.h>

#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace {

using namespace citysense;
using namespace citysense::bench;

struct WatchedProcess {
    std::string name;
    long pid = 0;
};

struct Setup {
    FleetSettings fleet;
    MariaDbAddress server;
    std::size_t clients = 5000;
    std::size_t processes = 0;  ///< 0: one per 500 gateways
    double duration = 600;
    double interval = 10;
    double pollMs = 200;
    double lookback = 30;
    double grace = 30;
    std::string monitorUser;
    std::string monitorPasswordFile;
    std::vector<WatchedProcess> watched;
};

/// The broker's own count of connected clients, $SYS/broker/clients/connected (every sys_interval,
/// 10 s by default): the highest and the latest.
class BrokerMonitor {
public:
    BrokerMonitor(const Setup& setup)
        : _client(setup.fleet.uri, setup.monitorUser, ::mqtt::create_options(MQTTVERSION_3_1_1, 10)) {
        _client.set_message_callback([this](::mqtt::const_message_ptr message) {
            const long connected = std::atol(message->get_payload_str().c_str());
            _latest = connected;
            _highest = std::max(_highest.load(), connected);
        });
        auto options = ::mqtt::connect_options_builder()
                           .clean_session()
                           .user_name(setup.monitorUser)
                           .password(readPassword(setup.monitorPasswordFile))
                           .ssl(::mqtt::ssl_options_builder()
                                    .trust_store(setup.fleet.caFile)
                                    .ssl_version(MQTT_SSL_VERSION_TLS_1_2)
                                    .enable_server_cert_auth(true)
                                    .verify(true)
                                    .finalize())
                           .finalize();
        _client.connect(options)->wait();
        _client.subscribe("$SYS/broker/clients/connected", 0)->wait();
    }
    ~BrokerMonitor() {
        try {
            _client.disconnect()->wait_for(std::chrono::seconds(5));
        } catch (const ::mqtt::exception&) {
        }
    }
    long highest() const { return _highest; }
    long latest() const { return _latest; }

private:
    ::mqtt::async_client _client;
    std::atomic<long> _highest{0};
    std::atomic<long> _latest{0};
};

/// VmHWM of /proc/PID/status, in MiB (0 when the process is gone).
double peakRssMiB(long pid) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(status, line))
        if (line.rfind("VmHWM:", 0) == 0)
            return std::atof(line.c_str() + 6) / 1024.0;
    return 0;
}

double ms(Micros micros) {
    return static_cast<double>(micros) / 1000.0;
}

Micros nearestRank(const std::vector<Micros>& sorted, double p) {
    if (sorted.empty())
        return 0;
    const auto rank = static_cast<std::size_t>(p / 100.0 * static_cast<double>(sorted.size()) + 0.999999);
    return sorted[std::clamp<std::size_t>(rank, 1, sorted.size()) - 1];
}

/// The later rounds' latencies window by window of the readings' times (about 20 windows, at least 10 s
/// each), with the highest 1-minute load average a poll saw in each: whether the tail is spread over the
/// run or gathered in stretches, and whether those stretches are the machine's busy ones.
void printWindows(std::vector<TimedLatency> seen, const std::vector<LoadSample>& loads, double duration) {
    if (seen.empty())
        return;
    std::sort(seen.begin(), seen.end(), [](const auto& a, const auto& b) { return a.time < b.time; });
    const double seconds = std::max(10.0, std::ceil(duration / 20 / 10) * 10);
    const auto width = static_cast<Micros>(seconds * 1e6);
    const Micros start = seen.front().time;
    std::printf("    by %.0f s of the readings' times (ms; load: the highest 1-min average polled):\n",
                seconds);
    std::printf("    %6s %9s %7s %7s %7s %6s\n", "from s", "readings", "p50", "p99", "max", "load");
    auto next = seen.begin();
    auto load = loads.begin();
    while (next != seen.end()) {
        const Micros end = start + ((next->time - start) / width + 1) * width;
        std::vector<Micros> window;
        for (; next != seen.end() && next->time < end; ++next)
            window.push_back(next->latency);
        std::sort(window.begin(), window.end());
        double highest = 0;
        for (; load != loads.end() && load->at < end; ++load)
            highest = std::max(highest, load->load);
        std::printf("    %6.0f %9zu %7.0f %7.0f %7.0f %6.2f\n",
                    static_cast<double>(end - width - start) / 1e6, window.size(),
                    ms(nearestRank(window, 50)), ms(nearestRank(window, 99)), ms(window.back()), highest);
    }
}

struct Tally {
    std::size_t published = 0, acknowledged = 0, refused = 0, stored = 0, lost = 0, duplicated = 0,
                storedUnacknowledged = 0, unanswered = 0, untimed = 0;
};

Tally tally(const SoakLedger& ledger) {
    Tally tally;
    for (std::size_t reading = 0; reading < ledger.plan().readings(); ++reading) {
        const bool published = ledger.has(reading, SoakLedger::Published);
        const bool acknowledged = ledger.has(reading, SoakLedger::Acknowledged);
        const unsigned stored = ledger.stored(reading);
        tally.published += published;
        tally.acknowledged += acknowledged;
        tally.refused += ledger.has(reading, SoakLedger::Refused);
        tally.unanswered += published && !acknowledged && !ledger.has(reading, SoakLedger::Refused);
        tally.stored += stored > 0;
        tally.lost += acknowledged && stored == 0;
        tally.duplicated += stored > 1 ? stored - 1 : 0;
        tally.storedUnacknowledged += stored > 0 && !acknowledged;
        tally.untimed += stored > 0 && !ledger.has(reading, SoakLedger::Seen);
    }
    return tally;
}

std::size_t acknowledgedSoFar(const SoakLedger& ledger) {
    std::size_t count = 0;
    for (std::size_t reading = 0; reading < ledger.plan().readings(); ++reading)
        count += ledger.has(reading, SoakLedger::Acknowledged);
    return count;
}

/// Waits until `done` or `seconds` have passed.
template <class Done>
void waitFor(double seconds, Done done) {
    const Micros deadline = nowMicros() + static_cast<Micros>(seconds * 1e6);
    while (!done() && nowMicros() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
}

/// A process of the generator: gateways [first, end) connect, publish once the plan has its start, and
/// disconnect once the report is made. Its exit status.
int runSlice(const Setup& setup, SoakLedger& ledger, FleetTally& tally, std::size_t first, std::size_t end) {
    try {
        SoakFleet fleet(setup.fleet, ledger, tally, first, end, setup.fleet.connectRate / setup.processes);
        fleet.connect(60);
        waitFor(24 * 3600, [&] { return tally.start != 0; });
        ledger.startAt(tally.start);
        fleet.publish();
        fleet.awaitAcknowledgements(30);
        --tally.publishing;
        waitFor(24 * 3600, [&] { return tally.disconnect.load(); });
        fleet.disconnect();
        return 0;
    } catch (const std::exception& error) {
        std::fprintf(stderr, "citysense-bench-soak: gateways %zu to %zu: %s\n", first, end - 1, error.what());
        --tally.publishing;
        return 1;
    }
}

int run(const Setup& setup) {
    SoakPlan plan;
    plan.gateways = setup.clients;
    plan.interval = static_cast<Micros>(setup.interval * 1e6);
    plan.rounds = std::max<std::size_t>(1, static_cast<std::size_t>(setup.duration / setup.interval + 0.5));
    SoakLedger ledger(plan);
    FleetTally& fleet = *sharedArray<FleetTally>(1);
    std::printf(
        "city soak: %zu gateways (TLS, one identity and station each; %zu generator processes), 9 tsv "
        "readings every %.0f s at QoS 1 (%.0f readings/s), %.0f s; %ld CPUs\n",
        setup.clients, setup.processes, setup.interval,
        static_cast<double>(setup.clients * soakQuantities().size()) / setup.interval, setup.duration,
        sysconf(_SC_NPROCESSORS_ONLN));
    std::fflush(stdout);

    // The slices first, before this process starts any thread; each ends with this process.
    const Micros rampStart = nowMicros();
    const pid_t parent = getpid();
    fleet.publishing = setup.processes;
    std::vector<pid_t> slices;
    for (std::size_t k = 0; k < setup.processes; ++k) {
        const std::size_t first = setup.clients * k / setup.processes;
        const std::size_t end = setup.clients * (k + 1) / setup.processes;
        const pid_t pid = fork();
        if (pid < 0)
            throw std::runtime_error("fork failed");
        if (pid == 0) {
            if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != parent)
                _exit(1);
            _exit(runSlice(setup, ledger, fleet, first, end));
        }
        slices.push_back(pid);
    }
    BrokerMonitor monitor(setup);
    SoakStore store(setup.server, ledger, setup.pollMs, setup.lookback);
    waitFor(setup.clients / setup.fleet.connectRate + 60,
            [&] { return fleet.connected + fleet.refused >= setup.clients; });
    std::printf("  connections: %zu of %zu accepted, %zu refused, in %.1f s (%.0f/s asked for)\n",
                fleet.connected.load(), setup.clients, fleet.refused.load(),
                static_cast<double>(nowMicros() - rampStart) / 1e6, setup.fleet.connectRate);
    std::fflush(stdout);

    ledger.startAt(nowMicros() + kMicrosPerSecond);
    fleet.start = ledger.plan().start;
    store.start();
    // Every slice done publishing and answered, or ended: at most 2 minutes after the last round.
    waitFor(setup.duration + 120, [&] { return fleet.publishing == 0; });
    // The pipeline drains: until every acknowledged reading has a row, or the rows stop growing for
    // --grace seconds (only then is a reading without a row lost, not late).
    const Micros published = nowMicros();
    const std::size_t acknowledged = acknowledgedSoFar(ledger);
    std::size_t stored = 0;
    Micros growing = published;
    while (store.error().empty()) {
        const std::size_t now = store.rows();
        if (now >= acknowledged)
            break;
        if (now > stored) {
            stored = now;
            growing = nowMicros();
        } else if (nowMicros() - growing > static_cast<Micros>(setup.grace * 1e6)) {
            break;
        }
        std::this_thread::sleep_for(std::chrono::seconds(1));
    }
    const double drainSeconds = static_cast<double>(nowMicros() - published) / 1e6;
    store.stop();
    if (!store.error().empty())
        throw std::runtime_error("the poller failed: " + store.error());

    // Before anything stops: what the servers and the generator spent, and what the broker counts.
    std::vector<std::pair<double, double>> usage;
    for (const auto& process : setup.watched)
        usage.emplace_back(processCpuMicros(process.pid) / 1e6, peakRssMiB(process.pid));
    double generatorCpu = ownCpuMicros() / 1e6;
    double generatorRss = peakRssMiB(getpid());
    for (const pid_t pid : slices) {
        generatorCpu += processCpuMicros(pid) / 1e6;
        generatorRss += peakRssMiB(pid);
    }
    double load[3] = {0, 0, 0};
    getloadavg(load, 3);

    const StoreCounts rows = store.scan();
    const Tally counts = tally(ledger);
    const auto firstRound = store.latencies(true);
    const auto laterRounds = store.latencies(false);
    const auto periods = store.pollPeriods();

    std::printf(
        "  readings: %zu published, %zu acknowledged, %zu stored; lost %zu (goal 0), duplicated %zu "
        "(goal 0); drained %.1f s after publishing ended\n",
        counts.published, counts.acknowledged, counts.stored, counts.lost, counts.duplicated, drainSeconds);
    std::printf(
        "    also: %zu not published (gateway not connected), %zu refused by the client or broker, %zu "
        "never answered, %zu stored though unacknowledged, %zu rows of no reading published\n",
        fleet.skipped.load(), counts.refused, counts.unanswered, counts.storedUnacknowledged,
        rows.unexpected);
    const auto printLatencies = [](const char* which, const std::vector<Micros>& latencies) {
        std::printf("    %s: p50 %.0f  p95 %.0f  p99 %.0f  max %.0f  (%zu readings)\n", which,
                    ms(nearestRank(latencies, 50)), ms(nearestRank(latencies, 95)),
                    ms(nearestRank(latencies, 99)), latencies.empty() ? 0.0 : ms(latencies.back()),
                    latencies.size());
    };
    std::printf("  latency ms, reading's time → row visible to a reader (commit + at most a poll period):\n");
    printLatencies("after the first round", laterRounds);
    printLatencies("first round (the ingests register 9 sensors a station)", firstRound);
    printWindows(store.timedLaterRounds(), store.loads(), setup.duration);
    if (counts.untimed)
        std::printf("    %zu more became visible more than %.0f s after their time and are not timed\n",
                    counts.untimed, setup.lookback);
    std::printf(
        "    resolution: a poll every %.0f ms median, %.0f ms p99; the generator published %.1f ms "
        "p99, %.1f ms max after a reading's time\n",
        ms(nearestRank(periods, 50)), ms(nearestRank(periods, 99)), fleet.lagPercentile(99), fleet.lagMax());
    std::printf(
        "  broker: %ld clients connected at most ($SYS/broker/clients/connected), %ld at the end; %zu "
        "connections lost during the run\n",
        monitor.highest(), monitor.latest(), fleet.lost.load());
    std::printf("  CPU seconds and peak RSS (VmHWM), each process since its start:\n");
    for (std::size_t i = 0; i < setup.watched.size(); ++i)
        std::printf("    %-12s %8.1f s  %8.1f MiB\n", setup.watched[i].name.c_str(), usage[i].first,
                    usage[i].second);
    std::printf("    %-12s %8.1f s  %8.1f MiB  (the generator, %zu processes together)\n", "gateways",
                generatorCpu, generatorRss, setup.processes);
    std::printf(
        "  machine load average at the end: %.2f %.2f %.2f (1, 5, 15 min; highest 1-min seen %.2f), "
        "%ld CPUs shared with whatever else runs\n",
        load[0], load[1], load[2], store.peakLoad(), sysconf(_SC_NPROCESSORS_ONLN));

    int status = 0;
    const auto fail = [&](const std::string& why) {
        std::printf("  FAIL: %s\n", why.c_str());
        status = 1;
    };
    if (counts.lost)
        fail(std::to_string(counts.lost) + " acknowledged readings were not stored");
    if (counts.duplicated)
        fail(std::to_string(counts.duplicated) + " readings were stored more than once");
    if (rows.unexpected)
        fail(std::to_string(rows.unexpected) + " rows are no reading that was published");
    if (fleet.connected < setup.clients)
        fail(std::to_string(setup.clients - fleet.connected) + " gateways could not connect");
    if (counts.acknowledged == 0)
        fail("no reading was acknowledged");
    std::fflush(stdout);
    fleet.disconnect = true;
    for (const pid_t pid : slices) {
        int sliceStatus = 0;
        if (waitpid(pid, &sliceStatus, 0) != pid || !WIFEXITED(sliceStatus) || WEXITSTATUS(sliceStatus) != 0)
            status = 1;
    }
    return status;
}

}  // namespace

int main(int argc, char** argv) {
    Setup setup;
    const auto parse = [&] {
        OptionSetters setters = addressOptions(setup.server);
        setters.insert(
            {{"--uri", storeIn(setup.fleet.uri)},
             {"--ca-file", storeIn(setup.fleet.caFile)},
             {"--identities", storeIn(setup.fleet.identitiesFile)},
             {"--clients", storeIn(setup.clients)},
             {"--processes", storeIn(setup.processes)},
             {"--duration", storeIn(setup.duration)},
             {"--interval", storeIn(setup.interval)},
             {"--connect-rate", storeIn(setup.fleet.connectRate)},
             {"--poll-ms", storeIn(setup.pollMs)},
             {"--lookback", storeIn(setup.lookback)},
             {"--grace", storeIn(setup.grace)},
             {"--monitor-user", storeIn(setup.monitorUser)},
             {"--monitor-password-file", storeIn(setup.monitorPasswordFile)},
             {"--watch", [&](const std::string& value) {
                  const auto equals = value.find('=');
                  if (equals == std::string::npos)
                      throw std::invalid_argument("--watch takes NAME=PID, not " + value);
                  setup.watched.push_back({value.substr(0, equals), std::stol(value.substr(equals + 1))});
              }}});
        parseOptions(argc, argv, setters);
        if (setup.fleet.uri.empty() || setup.fleet.caFile.empty() || setup.fleet.identitiesFile.empty() ||
            setup.monitorUser.empty() || setup.monitorPasswordFile.empty() || setup.server.user.empty() ||
            setup.server.passwordFile.empty())
            throw std::invalid_argument(
                "--uri, --ca-file, --identities, --monitor-user, --monitor-password-file, --user and "
                "--password-file are required");
        if (setup.processes == 0)
            setup.processes = std::max<std::size_t>(1, (setup.clients + 499) / 500);
        setup.processes = std::min(setup.processes, std::max<std::size_t>(1, setup.clients));
        if (setup.clients == 0 || setup.duration <= 0 || setup.interval <= 0 || setup.fleet.connectRate <= 0)
            throw std::invalid_argument(
                "--clients, --duration, --interval and --connect-rate must be positive");
    };
    return benchmarkMain("citysense-bench-soak", parse, [&] { return run(setup); });
}
