// citysensed as a service: reload under load, refused reloads, the health endpoint (with the events a
// plugin counts) and systemd notifications, all against the real binary.
#include "MariaDb.h"
#include "Programs.h"
#include "ServiceProcess.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>

namespace citysense {
namespace {

using test::eventually;
using test::ServiceProcess;
using ::testing::HasSubstr;

class ServiceTest : public ::testing::Test {
protected:
    void SetUp() override {
        _directory = std::filesystem::temp_directory_path() /
                     ("citysense-service-" + std::to_string(::getpid()) + "-" +
                      ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::create_directories(_directory);
    }
    void TearDown() override { std::filesystem::remove_all(_directory); }

    std::string path(const std::string& name) const { return (_directory / name).string(); }

    void write(const std::string& name, const std::string& text) const {
        const std::string temporary = path(name + ".new");
        std::ofstream(temporary) << text;
        std::filesystem::rename(temporary, path(name));  // a reload never sees half a file
    }

    /// A sequence station (1, 2, 3, ... every `interval`) writing JSON lines to out.jsonl.
    std::string sequenceStation(const std::string& interval,
                                const std::string& extraHost = "http_listen = off\n") {
        return "[host]\nsystem = hypo_city\ncity = city_01\nstreet = street_01\nspool_dir = " +
               path("spool") + "\n" + extraHost +
               "[driver.street]\nplugin = simulated\ninterval = " + interval +
               "\nquantities = no2\npattern = sequence\n"
               "[sink.out]\nplugin = console\nformat = json\noutput = " +
               path("out.jsonl") + "\n[pipeline.main]\ndrivers = street\nsinks = out\n";
    }

    /// The values of the lines out.jsonl holds so far; a line the sink is still writing is left out.
    std::vector<double> values() const {
        std::vector<double> result;
        std::ifstream file(path("out.jsonl"));
        std::string text((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
        std::istringstream in(text.substr(0, text.rfind('\n') + 1));
        for (std::string line; std::getline(in, line);) {
            const auto object = Poco::JSON::Parser().parse(line).extract<Poco::JSON::Object::Ptr>();
            result.push_back(object->getValue<double>("value"));
        }
        return result;
    }

private:
    std::filesystem::path _directory;
};

/// The count a summary line gives: "driver.street (simulated): stopped, read 42, failures 0".
std::vector<std::uint64_t> readCounts(const std::string& log) {
    std::vector<std::uint64_t> counts;
    const std::string line = "driver.street (simulated): stopped, read ";
    for (auto found = log.find(line); found != std::string::npos; found = log.find(line, found + 1))
        counts.push_back(std::stoull(log.substr(found + line.size())));
    return counts;
}

TEST_F(ServiceTest, ReloadUnderLoadLosesNothing) {
    write("station.ini", sequenceStation("5ms"));
    ServiceProcess service({"-c", path("station.ini")});
    ASSERT_TRUE(eventually([&] { return values().size() >= 50; })) << service.log();
    write("station.ini", sequenceStation("2ms"));
    service.signal(SIGHUP);
    ASSERT_TRUE(service.waitForLog("reloaded: 1 pipeline(s)")) << service.log();
    const std::size_t atReload = values().size();
    ASSERT_TRUE(eventually([&] { return values().size() >= atReload + 50; })) << service.log();
    service.signal(SIGTERM);
    ASSERT_EQ(service.wait(), 0) << service.log();

    // Two runs of the sequence, one per configuration, each without a gap, and exactly as many as
    // each driver read.
    const auto counts = readCounts(service.log());
    ASSERT_EQ(counts.size(), 2u) << service.log();
    const auto all = values();
    ASSERT_EQ(all.size(), counts[0] + counts[1]);
    for (std::size_t i = 0; i < all.size(); ++i) {
        const double expected = i < counts[0] ? double(i + 1) : double(i - counts[0] + 1);
        ASSERT_EQ(all[i], expected) << "line " << i;
    }
}

TEST_F(ServiceTest, ABadReloadIsRefusedAndTheRunningPipelinesGoOn) {
    write("station.ini", sequenceStation("5ms"));
    ServiceProcess service({"-c", path("station.ini")});
    ASSERT_TRUE(eventually([&] { return values().size() >= 10; })) << service.log();
    write("station.ini", sequenceStation("5ms") + "[sink.out]\nformat = yaml\n");
    service.signal(SIGHUP);
    ASSERT_TRUE(service.waitForLog("reload refused: the running configuration stays in effect"))
        << service.log();
    EXPECT_THAT(service.log(),
                HasSubstr("[sink.out] format: expected choice: 'yaml' is not one of: seed, json"));
    const std::size_t atRefusal = values().size();
    EXPECT_TRUE(eventually([&] { return values().size() >= atRefusal + 10; }));
    service.signal(SIGTERM);
    EXPECT_EQ(service.wait(), 0);
    const auto all = values();
    for (std::size_t i = 0; i < all.size(); ++i)
        ASSERT_EQ(all[i], double(i + 1)) << "one unbroken sequence: the driver never restarted";
}

TEST_F(ServiceTest, AReloadWithAMalformedFragmentIsRefusedNotACrash) {
    write("station.ini", sequenceStation("5ms"));
    ServiceProcess service({"-c", path("station.ini")});
    ASSERT_TRUE(eventually([&] { return values().size() >= 10; })) << service.log();
    std::filesystem::create_directories(path("conf.d"));
    write("conf.d/50-typo.ini", "[.street]\n.a = 1\n");
    service.signal(SIGHUP);
    ASSERT_TRUE(service.waitForLog("reload refused: the running configuration stays in effect"))
        << service.log();
    EXPECT_THAT(service.log(),
                HasSubstr(path("conf.d/50-typo.ini") + ": line 1: [.street] section [.street]: a "
                                                       "name may not begin with '.'"));
    const std::size_t atRefusal = values().size();
    EXPECT_TRUE(eventually([&] { return values().size() >= atRefusal + 10; }));
    service.signal(SIGTERM);
    EXPECT_EQ(service.wait(), 0);
}

TEST_F(ServiceTest, AJunkLibraryInThePluginPathIsAWarningAtEveryStart) {
    std::filesystem::create_directories(path("plugins"));
    write("plugins/junk.so", "not a library");
    write("station.ini", sequenceStation("5ms", "http_listen = off\nplugin_path = plugins\n"));
    ServiceProcess service({"-c", path("station.ini")});
    ASSERT_TRUE(eventually([&] { return values().size() >= 10; })) << service.log();
    service.signal(SIGHUP);
    ASSERT_TRUE(service.waitForLog("reloaded: 1 pipeline(s)")) << service.log();
    service.signal(SIGTERM);
    EXPECT_EQ(service.wait(), 0);
    const std::string warning = path("plugins/junk.so") + ": not loaded: ";
    const std::string log = service.log();
    const auto first = log.find(warning);
    ASSERT_NE(first, std::string::npos) << log;
    EXPECT_NE(log.find(warning, first + 1), std::string::npos) << "the reload warns again\n" << log;
}

TEST_F(ServiceTest, HealthAndMetricsReportWhatHappened) {
    write("station.ini",
          "[host]\nsystem = hypo_city\ncity = city_01\nstreet = street_01\nspool_dir = " + path("spool") +
              "\nhttp_listen = 127.0.0.1:0\nplugin_path = " CITYSENSE_TEST_FIXTURE_DIR
              "/failing\n"
              "[driver.good]\nplugin = simulated\ninterval = 1h\nquantities = no2, so2\n"
              "[driver.broken]\nplugin = fixture_failing\ninterval = 10ms\nmax_backoff = 20ms\n"
              "[sink.out]\nplugin = console\nformat = json\noutput = " +
              path("out.jsonl") + "\n[pipeline.main]\ndrivers = good, broken\nsinks = out\n");
    ServiceProcess service({"-c", path("station.ini")});
    ASSERT_TRUE(eventually([&] { return service.healthPort() != 0; })) << service.log();
    ASSERT_TRUE(eventually([&] { return values().size() == 2; })) << service.log();

    int status = 0;
    std::string health;
    ASSERT_TRUE(eventually([&] {
        health = test::httpGet(service.healthPort(), "/health", status);
        return health.find("\"delivered\":2") != std::string::npos &&
               health.find("failing") != std::string::npos;
    })) << health;
    EXPECT_EQ(status, 503);
    const auto report = Poco::JSON::Parser().parse(health).extract<Poco::JSON::Object::Ptr>();
    EXPECT_EQ(report->getValue<std::string>("status"), "failing");
    const auto instances = report->getArray("instances");
    std::map<std::string, Poco::JSON::Object::Ptr> byName;
    for (std::size_t i = 0; i < instances->size(); ++i) {
        auto instance = instances->getObject(static_cast<unsigned>(i));
        byName[instance->getValue<std::string>("name")] = instance;
    }
    EXPECT_EQ(byName.at("driver.good")->getValue<std::string>("state"), "running");
    EXPECT_EQ(byName.at("driver.good")->getValue<int>("read"), 2);
    EXPECT_EQ(byName.at("driver.broken")->getValue<std::string>("state"), "failing");
    EXPECT_EQ(byName.at("driver.broken")->getValue<std::string>("message"),
              "read failed: fixture sensor unplugged");
    EXPECT_EQ(byName.at("sink.out")->getValue<int>("delivered"), 2);
    EXPECT_EQ(byName.at("sink.out")->getValue<int>("spooled"), 0);
    EXPECT_EQ(byName.at("sink.out")->getValue<int>("spool_pending"), 0);
    EXPECT_EQ(byName.at("sink.out")->getValue<int>("spool_damaged"), 0);
    EXPECT_EQ(byName.at("sink.out")->getValue<int>("dead_lettered"), 0);

    const std::string metrics = test::httpGet(service.healthPort(), "/metrics", status);
    EXPECT_EQ(status, 200);
    EXPECT_THAT(metrics,
                HasSubstr("citysense_samples_read_total{instance=\"driver.good\",plugin=\"simulated\"} 2\n"));
    EXPECT_THAT(metrics,
                HasSubstr("citysense_samples_delivered_total{instance=\"sink.out\",plugin=\"console\"} 2\n"));
    EXPECT_THAT(metrics,
                HasSubstr("citysense_samples_dropped_total{instance=\"sink.out\",plugin=\"console\"} 0\n"));
    EXPECT_THAT(metrics,
                HasSubstr("citysense_samples_spooled_total{instance=\"sink.out\",plugin=\"console\"} 0\n"));
    EXPECT_THAT(metrics, HasSubstr("citysense_spool_depth{instance=\"sink.out\",plugin=\"console\"} 0\n"));
    EXPECT_THAT(
        metrics,
        HasSubstr("citysense_samples_spool_damaged_total{instance=\"sink.out\",plugin=\"console\"} 0\n"));
    EXPECT_THAT(
        metrics,
        HasSubstr("citysense_samples_dead_lettered_total{instance=\"sink.out\",plugin=\"console\"} 0\n"));
    EXPECT_THAT(
        metrics,
        HasSubstr("citysense_instance_failing{instance=\"driver.broken\",plugin=\"fixture_failing\"} 1\n"));
    EXPECT_THAT(metrics,
                HasSubstr("citysense_instance_failing{instance=\"driver.good\",plugin=\"simulated\"} 0\n"));
    EXPECT_THAT(metrics, HasSubstr("# TYPE citysense_samples_read_total counter\n"));

    test::httpGet(service.healthPort(), "/nothing", status);
    EXPECT_EQ(status, 404);
    service.signal(SIGTERM);
    EXPECT_EQ(service.wait(), 0);
}

// What a plugin counts with countEvent() reaches /health and /metrics: the sql sink's failover from a
// first host that refuses the connection to a MariaDB server that answers.
TEST_F(ServiceTest, HealthAndMetricsShowTheEventsAPluginCounts) {
    test::MariaDb server;
    const unsigned refusing = test::freePorts(1)[0];
    write("station.ini",
          "[host]\nsystem = hypo_city\ncity = city_01\nstreet = street_01\nspool_dir = " + path("spool") +
              "\nhttp_listen = 127.0.0.1:0\n"
              "[driver.good]\nplugin = simulated\ninterval = 1h\nquantities = no2\n"
              "[sink.db]\nplugin = sql\nconnector = mysql\nconnection = db=citysense;user=" +
              server.user() + "\nhosts = 127.0.0.1:" + std::to_string(refusing) +
              ", 127.0.0.1:" + std::to_string(server.port()) + "\npassword_file = " + server.passwordFile() +
              "\ncreate_schema = true\n[pipeline.main]\ndrivers = good\nsinks = db\n");
    ServiceProcess service({"-c", path("station.ini")});
    ASSERT_TRUE(eventually([&] { return service.healthPort() != 0; })) << service.log();
    int status = 0;
    std::string health;
    ASSERT_TRUE(eventually([&] {
        health = test::httpGet(service.healthPort(), "/health", status);
        return health.find("\"delivered\":1") != std::string::npos;
    })) << health
        << service.log();
    EXPECT_THAT(health, HasSubstr("\"events\":{\"failover\":1}")) << health;
    const std::string metrics = test::httpGet(service.healthPort(), "/metrics", status);
    EXPECT_THAT(metrics, HasSubstr("# TYPE citysense_events_total counter\n"
                                   "citysense_events_total{instance=\"sink.db\",plugin=\"sql\","
                                   "event=\"failover\"} 1\n"));
    service.signal(SIGTERM);
    EXPECT_EQ(service.wait(), 0);
}

/// A datagram socket standing in for systemd's notification socket.
class NotifySocket {
public:
    explicit NotifySocket(std::string path) : _path(std::move(path)) {
        _fd = ::socket(AF_UNIX, SOCK_DGRAM, 0);
        sockaddr_un address{};
        address.sun_family = AF_UNIX;
        std::strncpy(address.sun_path, _path.c_str(), sizeof address.sun_path - 1);
        ::bind(_fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
        timeval patience{30, 0};
        ::setsockopt(_fd, SOL_SOCKET, SO_RCVTIMEO, &patience, sizeof patience);
    }
    ~NotifySocket() {
        ::close(_fd);
        ::unlink(_path.c_str());
    }
    std::string next() {
        char message[256];
        const ssize_t length = ::recv(_fd, message, sizeof message, 0);
        return length > 0 ? std::string(message, static_cast<std::size_t>(length)) : "";
    }
    const std::string& path() const { return _path; }

private:
    std::string _path;
    int _fd = -1;
};

TEST_F(ServiceTest, TellsSystemdWhenItIsReadyReloadingAndStopping) {
    write("station.ini", sequenceStation("1s"));
    NotifySocket systemd(path("notify"));
    ServiceProcess service({"-c", path("station.ini")}, {{"NOTIFY_SOCKET", systemd.path()}});
    EXPECT_EQ(systemd.next(), "READY=1");
    service.signal(SIGHUP);
    EXPECT_EQ(systemd.next(), "RELOADING=1");
    EXPECT_EQ(systemd.next(), "READY=1");
    service.signal(SIGTERM);
    EXPECT_EQ(systemd.next(), "STOPPING=1");
    EXPECT_EQ(service.wait(), 0) << service.log();
}

/// What /metrics says driver.street has read so far; 0 before the endpoint answers.
std::uint64_t streetReadSoFar(const ServiceProcess& service) {
    if (service.healthPort() == 0)
        return 0;
    int status = 0;
    const std::string metrics = test::httpGet(service.healthPort(), "/metrics", status);
    const std::string series =
        "citysense_samples_read_total{instance=\"driver.street\",plugin=\"simulated\"} ";
    const auto found = metrics.find(series);
    return found == std::string::npos ? 0 : std::stoull(metrics.substr(found + series.size()));
}

/// The instances /health lists as abandoned.
Poco::JSON::Array::Ptr abandonedInstances(const ServiceProcess& service) {
    int status = 0;
    const std::string health = test::httpGet(service.healthPort(), "/health", status);
    if (health.empty())
        return new Poco::JSON::Array;
    return Poco::JSON::Parser().parse(health).extract<Poco::JSON::Object::Ptr>()->getArray("abandoned");
}

/// A station whose sink.out is `sink` (its section's keys) behind a sequence driver, with
/// shutdown_timeout 1s and the stuck fixtures on the plugin path.
std::string stuckStation(const std::string& spool, const std::string& sink, const std::string& extra = "") {
    return "[host]\nsystem = hypo_city\ncity = city_01\nstreet = street_01\nshutdown_timeout = 1s\n"
           "http_listen = 127.0.0.1:0\nspool_dir = " +
           spool +
           "\nplugin_path = " CITYSENSE_TEST_FIXTURE_DIR "/stuck_driver, " CITYSENSE_TEST_FIXTURE_DIR
           "/stuck_sink\n[driver.street]\nplugin = simulated\ninterval = 5ms\nquantities = no2\n"
           "pattern = sequence\n[sink.out]\n" +
           sink + extra;
}

TEST_F(ServiceTest, SighupEnablingAndDisablingADriverStartsAndStopsItsReadings) {
    const auto station = [&](const char* enabled) {
        return sequenceStation("5ms") +
               "[driver.quiet]\nplugin = simulated\ninterval = 5ms\nquantities = so2\n" +
               "enabled = " + enabled + "\n[pipeline.second]\ndrivers = quiet\nsinks = out\n";
    };
    const auto so2Lines = [&] {
        std::ifstream file(path("out.jsonl"));
        std::string text((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
        std::size_t count = 0;
        for (std::size_t at = text.find("\"so2\""); at != std::string::npos;
             at = text.find("\"so2\"", at + 1))
            ++count;
        return count;
    };
    write("station.ini", station("false"));
    ServiceProcess service({"-c", path("station.ini")});
    ASSERT_TRUE(service.waitForLog("not started: driver.quiet (enabled = false)")) << service.log();
    ASSERT_TRUE(eventually([&] { return values().size() >= 20; })) << service.log();
    EXPECT_EQ(so2Lines(), 0u);

    write("station.ini", station("true"));
    service.signal(SIGHUP);
    ASSERT_TRUE(service.waitForLog("reloaded: 2 pipeline(s)")) << service.log();
    ASSERT_TRUE(eventually([&] { return so2Lines() >= 10; })) << service.log();

    write("station.ini", station("false"));
    service.signal(SIGHUP);
    ASSERT_TRUE(service.waitForLog("reloaded: 1 pipeline(s)")) << service.log();
    const std::size_t so2AtReload = so2Lines();
    const std::size_t atReload = values().size();
    ASSERT_TRUE(eventually([&] { return values().size() >= atReload + 20; })) << service.log();
    EXPECT_EQ(so2Lines(), so2AtReload) << "the muted driver reads no more";
    service.signal(SIGTERM);
    EXPECT_EQ(service.wait(), 0) << service.log();
}

TEST_F(ServiceTest, OnceWithASinkStuckInWriteExitsSeventyNamingIt) {
    write("station.ini", stuckStation(path("spool"), "plugin = fixture_stuck_sink\n") +
                             "[pipeline.main]\ndrivers = street\nsinks = out\n");
    const test::CommandResult result = test::runCitysensed({"--once", "-c", path("station.ini")});
    EXPECT_EQ(result.status, 70) << result.output;
    EXPECT_THAT(result.output, HasSubstr("sink.out: abandoned: write() did not return within 2s; "));
}

TEST_F(ServiceTest, SigtermWithASinkStuckInWriteExitsAndKeepsWhatItHeldInTheSpool) {
    write("station.ini", stuckStation(path("spool"), "plugin = fixture_stuck_sink\n") +
                             "[pipeline.main]\ndrivers = street\nsinks = out\n");
    ServiceProcess service({"-c", path("station.ini")});
    ASSERT_TRUE(eventually([&] { return streetReadSoFar(service) >= 20; })) << service.log();
    service.signal(SIGTERM);
    // Stopping takes shutdown_timeout (1s) and the grace of a call in progress (1s); the limit is
    // far beyond, and only there to catch a host that never exits.
    ASSERT_EQ(service.waitAtMost(std::chrono::seconds(30)), 70) << service.log();
    const std::string log = service.log();
    EXPECT_THAT(log, HasSubstr("sink.out: abandoned: write() did not return within 2s; "));
    EXPECT_THAT(log, HasSubstr("1 instance(s) were abandoned"));

    // The next start delivers from the spool what the stuck sink held, its batch in write() first:
    // the sequence from 1, without a gap, as far as the driver read.
    const auto counts = readCounts(log);
    ASSERT_EQ(counts.size(), 1u) << log;
    write(
        "station.ini",
        stuckStation(path("spool"), "plugin = console\nformat = json\noutput = " + path("out.jsonl") + "\n") +
            "[pipeline.main]\ndrivers = street\nsinks = out\n");
    ServiceProcess next({"-c", path("station.ini")});
    ASSERT_TRUE(eventually([&] { return values().size() > counts[0]; })) << next.log();
    next.signal(SIGTERM);
    EXPECT_EQ(next.wait(), 0) << next.log();
    const auto all = values();
    for (std::size_t i = 0; i < counts[0]; ++i)
        ASSERT_EQ(all[i], double(i + 1)) << "line " << i;
}

TEST_F(ServiceTest, SighupWithASinkStuckInWriteReloadsAndItsSuccessorDeliversWhatItHeld) {
    const std::string pipeline = "[pipeline.main]\ndrivers = street\nsinks = out\n";
    write("station.ini", stuckStation(path("spool"), "plugin = fixture_stuck_sink\n") + pipeline);
    ServiceProcess service({"-c", path("station.ini")});
    ASSERT_TRUE(eventually([&] { return streetReadSoFar(service) >= 20; })) << service.log();
    write(
        "station.ini",
        stuckStation(path("spool"), "plugin = console\nformat = json\noutput = " + path("out.jsonl") + "\n") +
            pipeline);
    service.signal(SIGHUP);
    ASSERT_TRUE(service.waitForLog("reloaded: 1 pipeline(s)")) << service.log();
    EXPECT_THAT(service.log(), HasSubstr("sink.out: abandoned: write() did not return within 2s; "));
    ASSERT_TRUE(eventually([&] { return values().size() >= 10; })) << service.log();

    // The replaced configuration goes (and hands what it abandoned on) just after the log line.
    Poco::JSON::Array::Ptr abandoned;
    int status = 0;
    ASSERT_TRUE(eventually([&] { return (abandoned = abandonedInstances(service))->size() == 1; }))
        << test::httpGet(service.healthPort(), "/health", status) << "\n"
        << service.log();
    EXPECT_EQ(abandoned->getObject(0)->getValue<std::string>("name"), "sink.out");
    EXPECT_EQ(abandoned->getObject(0)->getValue<std::string>("plugin"), "fixture_stuck_sink");
    EXPECT_EQ(abandoned->getObject(0)->getValue<std::string>("message"), "write() did not return within 2s");
    EXPECT_THAT(test::httpGet(service.healthPort(), "/metrics", status),
                HasSubstr("\ncitysense_abandoned_instances_total 1\n"));

    service.signal(SIGTERM);
    EXPECT_EQ(service.wait(), 70) << service.log();
    // The old driver's sequence from 1, its first batch the one stuck in write(), then the new one's.
    const auto counts = readCounts(service.log());
    ASSERT_EQ(counts.size(), 2u) << service.log();
    const auto all = values();
    ASSERT_EQ(all.size(), counts[0] + counts[1]) << service.log();
    for (std::size_t i = 0; i < all.size(); ++i) {
        const double expected = i < counts[0] ? double(i + 1) : double(i - counts[0] + 1);
        ASSERT_EQ(all[i], expected) << "line " << i;
    }
}

TEST_F(ServiceTest, ADriverStuckInReadDoesNotTakeASinkThatIsSlowToCloseDownWithIt) {
    write(
        "station.ini",
        stuckStation(path("spool"), "plugin = fixture_stuck_sink\nstuck_in = nothing\nclose_takes = 300ms\n",
                     "[driver.stuck]\nplugin = fixture_stuck_driver\ninterval = 5ms\nstuck_after = 3\n") +
            "[pipeline.main]\ndrivers = street, stuck\nsinks = out\n");
    ServiceProcess service({"-c", path("station.ini")});
    ASSERT_TRUE(eventually([&] { return streetReadSoFar(service) >= 10; })) << service.log();
    service.signal(SIGTERM);
    ASSERT_EQ(service.waitAtMost(std::chrono::seconds(30)), 70) << service.log();
    EXPECT_THAT(service.log(), HasSubstr("driver.stuck: abandoned: read() did not return within 2s; "));
    EXPECT_THAT(service.log(), HasSubstr("1 instance(s) were abandoned"));
    EXPECT_THAT(service.log(), ::testing::Not(HasSubstr("sink.out: abandoned")));
}

TEST_F(ServiceTest, SighupWithADriverStuckInReadReloadsAndHealthShowsIt) {
    const std::string console = "plugin = console\nformat = json\noutput = " + path("out.jsonl") + "\n";
    write("station.ini",
          stuckStation(path("spool"), console,
                       "[driver.stuck]\nplugin = fixture_stuck_driver\ninterval = 5ms\nstuck_after = 3\n") +
              "[pipeline.main]\ndrivers = street, stuck\nsinks = out\n");
    ServiceProcess service({"-c", path("station.ini")});
    ASSERT_TRUE(eventually([&] { return service.healthPort() != 0 && values().size() >= 10; }))
        << service.log();
    write("station.ini",
          stuckStation(path("spool"), console) + "[pipeline.main]\ndrivers = street\nsinks = out\n");
    service.signal(SIGHUP);
    ASSERT_TRUE(service.waitForLog("reloaded: 1 pipeline(s)")) << service.log();
    EXPECT_THAT(service.log(), HasSubstr("driver.stuck: abandoned: read() did not return within 2s; "));
    const std::size_t atReload = values().size();
    ASSERT_TRUE(eventually([&] { return values().size() >= atReload + 10; }))
        << "readings flow after the reload";

    Poco::JSON::Array::Ptr abandoned;
    int status = 0;
    ASSERT_TRUE(eventually([&] { return (abandoned = abandonedInstances(service))->size() == 1; }))
        << test::httpGet(service.healthPort(), "/health", status) << "\n"
        << service.log();
    test::httpGet(service.healthPort(), "/health", status);
    EXPECT_EQ(status, 200) << "an abandoned instance of a replaced configuration does not fail the host";
    EXPECT_EQ(abandoned->getObject(0)->getValue<std::string>("name"), "driver.stuck");
    EXPECT_EQ(abandoned->getObject(0)->getValue<std::string>("state"), "abandoned");
    EXPECT_EQ(abandoned->getObject(0)->getValue<int>("read"), 3);
    service.signal(SIGTERM);
    EXPECT_EQ(service.wait(), 70) << service.log();
}

TEST_F(ServiceTest, AReloadMidWindowKeepsOneWindowWithEverySample) {
    // A day's count: the stop flags the window partial, and unless the test runs across midnight
    // (UTC) it is the only one.
    const auto station = [&](const std::string& interval) {
        return sequenceStation(interval, "http_listen = 127.0.0.1:0\n") +
               "[filter.daily]\nplugin = window\nperiod = 1d\nfunction = count\n"
               "[pipeline.main]\nfilters = daily\n";
    };
    write("station.ini", station("5ms"));
    ServiceProcess service({"-c", path("station.ini")});
    ASSERT_TRUE(eventually([&] { return streetReadSoFar(service) >= 20; })) << service.log();
    write("station.ini", station("2ms"));
    service.signal(SIGHUP);
    ASSERT_TRUE(service.waitForLog("reloaded: 1 pipeline(s)")) << service.log();
    ASSERT_TRUE(eventually([&] { return streetReadSoFar(service) >= 20; })) << service.log();
    service.signal(SIGTERM);
    ASSERT_EQ(service.wait(), 0) << service.log();

    const auto counts = readCounts(service.log());
    ASSERT_EQ(counts.size(), 2u) << service.log();
    std::ifstream in(path("out.jsonl"));
    std::set<std::string> windows;
    double counted = 0;
    std::string last;
    for (std::string line; std::getline(in, line);) {
        const auto object = Poco::JSON::Parser().parse(line).extract<Poco::JSON::Object::Ptr>();
        EXPECT_TRUE(windows.insert(object->getValue<std::string>("timestamp")).second)
            << "one sample per window: " << line;
        counted += object->getValue<double>("value");
        last = line;
    }
    EXPECT_EQ(counted, double(counts[0] + counts[1]));
    EXPECT_THAT(last, HasSubstr("\"partial\"]")) << "the window the stop cut short says so";
}

}  // namespace
}  // namespace citysense
