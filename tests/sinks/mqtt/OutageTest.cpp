// No reading lost: a real gateway (citysensed with the sequence driver at 1000 samples/s and the
// mqtt sink at QoS 1) through a broker outage, a SIGKILL while the broker is down, and a spool too
// small for the outage. The test's subscriber keeps a persistent session, so the broker queues what
// arrives while it is away; every sequence number is accounted for. And a gateway given two brokers moves
// to the second when the first stops, losing nothing.
#include "PluginHarness.h"
#include "Programs.h"
#include "ServiceProcess.h"
#include "Subscriber.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <payload/Payload.h>

#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <thread>

namespace citysense {
namespace {

using namespace test;

/// What the subscriber saw of each sensor's sequence.
struct SequenceReport {
    std::map<std::string, std::vector<long>> firstSeen;  ///< per topic, values in order of first arrival
    std::size_t messages = 0;
    std::size_t duplicates = 0;
    std::size_t distinct() const { return messages - duplicates; }
};

SequenceReport analyse(const std::vector<ReceivedMessage>& messages, long from, long to) {
    SequenceReport report;
    std::map<std::string, std::set<long>> seen;
    for (const ReceivedMessage& message : messages) {
        if (message.topic.find("/air_pollution/") == std::string::npos)
            continue;
        const long value =
            std::lround(decodePayload(message.topic, message.payload, PayloadFormat::Auto)[0].value);
        if (value < from || value > to)
            continue;
        ++report.messages;
        if (!seen[message.topic].insert(value).second) {
            ++report.duplicates;
            continue;
        }
        report.firstSeen[message.topic].push_back(value);
    }
    return report;
}

/// True when `values` is first, first+1, ... without a gap or a step back.
::testing::AssertionResult consecutive(const std::vector<long>& values, long first) {
    for (std::size_t i = 0; i < values.size(); ++i)
        if (values[i] != first + static_cast<long>(i))
            return ::testing::AssertionFailure() << "expected " << first + static_cast<long>(i)
                                                 << " at position " << i << ", got " << values[i];
    return ::testing::AssertionSuccess();
}

class MqttOutage : public ::testing::Test {
protected:
    Broker _broker;
    BrokerCredentials _gateway = _broker.addGateway("hypo_city", "city_01", "street_01");
    BrokerCredentials _reader = _broker.addSubscriber("reader", "hypo_city/#");
    Subscriber _subscriber{_broker, _reader, "hypo_city/#", Subscriber::Session::Persistent};
    /// The mqtt sink's uri and ca_file.
    std::string _uri = _broker.tlsUri();
    std::string _caFile = _broker.caFile();

    /// A gateway config: sequences of no2 and so2 from `start`, one read every 2 ms (1000 samples/s).
    std::string gatewayConfig(long start, const std::string& spoolSize = "64M") const {
        const std::string path = _broker.directory() + "/gateway-" + std::to_string(start) + ".ini";
        std::ofstream(path) << "[host]\nsystem = hypo_city\ncity = city_01\nstreet = street_01\n"
                            << "spool_dir = " << _broker.directory() << "/spool\n"
                            << "http_listen = 127.0.0.1:0\nshutdown_timeout = 20s\n"
                            << "[driver.seq]\nplugin = simulated\ninterval = 2ms\nquantities = no2, so2\n"
                            << "pattern = sequence\nstart = " << start << "\n"
                            << "[sink.broker]\nplugin = mqtt\nuri = " << _uri
                            << "\nusername = " << _gateway.username
                            << "\npassword_file = " << _gateway.passwordFile << "\nca_file = " << _caFile
                            << "\nqos = 1\nmax_backoff = 500ms\n"
                            << "connect_timeout = 2s\nspool_size = " << spoolSize << "\n"
                            << "[pipeline.main]\ndrivers = seq\nsinks = broker\n";
        return path;
    }

    /// A counter of an instance from the gateway's /health.
    static long counter(const ServiceProcess& gateway, const std::string& instance, const std::string& name) {
        int status = 0;
        const std::string body = httpGet(gateway.healthPort(), "/health", status);
        const auto health = Poco::JSON::Parser().parse(body).extract<Poco::JSON::Object::Ptr>();
        const auto instances = health->getArray("instances");
        for (std::size_t i = 0; i < instances->size(); ++i) {
            const auto object = instances->getObject(static_cast<unsigned>(i));
            if (object->getValue<std::string>("name") == instance)
                return object->getValue<long>(name);
        }
        return -1;
    }

    static void stopGateway(ServiceProcess& gateway) {
        gateway.signal(SIGTERM);
        EXPECT_EQ(gateway.wait(), 0) << gateway.log();
    }

    /// What the sequence driver logged it read when it stopped.
    static long readCount(const ServiceProcess& gateway) {
        const std::string log = gateway.log();
        const std::string announcement = "driver.seq (simulated): stopped, read ";
        const auto at = log.find(announcement);
        return at == std::string::npos ? -1 : std::stol(log.substr(at + announcement.size()));
    }
};

/// A second broker with the same gateway identity and its own reader; the gateway is given both, the
/// first first, and trusts both brokers' CAs.
class MqttFailover : public MqttOutage {
protected:
    Broker _second;
    BrokerCredentials _secondGateway =
        _second.addGateway("hypo_city", "city_01", "street_01", _gateway.password);
    BrokerCredentials _secondReader = _second.addSubscriber("reader", "hypo_city/#");
    Subscriber _secondSubscriber{_second, _secondReader, "hypo_city/#", Subscriber::Session::Persistent};

    MqttFailover() {
        _uri = _broker.tlsUri() + ", " + _second.tlsUri();
        _caFile = _broker.directory() + "/both-cas.crt";
        std::ofstream(_caFile) << readFile(_broker.caFile()) << readFile(_second.caFile());
    }
};

TEST_F(MqttOutage, FiveSecondsWithoutTheBrokerLoseNothingAndKeepEachSensorInOrder) {
    ServiceProcess gateway({"-c", gatewayConfig(1)});
    ASSERT_TRUE(gateway.waitForLog("health endpoint on")) << gateway.log();
    ASSERT_TRUE(_subscriber.waitForCount(1000)) << gateway.log();

    _broker.stop();
    std::this_thread::sleep_for(std::chrono::seconds(5));
    ASSERT_GT(counter(gateway, "sink.broker", "spool_pending"), 0) << gateway.log();
    _broker.start();

    // Back to normal: the spool has been replayed and new samples flow straight through.
    ASSERT_TRUE(eventually([&] { return counter(gateway, "sink.broker", "spool_pending") == 0; }))
        << gateway.log();
    const long read = counter(gateway, "driver.seq", "read");
    stopGateway(gateway);

    SequenceReport report;
    ASSERT_TRUE(_subscriber.waitFor([&](const auto& messages) {
        report = analyse(messages, 1, 1000000);
        return static_cast<long>(report.distinct()) >= read;
    })) << "distinct "
        << report.distinct() << " of " << read << " read\n"
        << gateway.log();
    ASSERT_EQ(report.firstSeen.size(), 2u);
    for (const auto& [topic, values] : report.firstSeen)
        EXPECT_TRUE(consecutive(values, 1)) << topic;
    std::cout << "[ outage  ] " << report.distinct() << " readings through a 5 s outage: lost 0, duplicated "
              << report.duplicates << "\n";
    RecordProperty("readings", static_cast<int>(report.distinct()));
    RecordProperty("duplicates", static_cast<int>(report.duplicates));
}

TEST_F(MqttOutage, AGatewayKilledWhileTheBrokerIsDownReplaysItsSpoolWhenRestarted) {
    _broker.stop();
    long spooled = 0;
    {
        ServiceProcess gateway({"-c", gatewayConfig(1)});
        ASSERT_TRUE(gateway.waitForLog("health endpoint on")) << gateway.log();
        ASSERT_TRUE(eventually([&] { return counter(gateway, "sink.broker", "spool_pending") >= 2000; }))
            << gateway.log();
        spooled = counter(gateway, "sink.broker", "spool_pending");
        gateway.signal(SIGKILL);
        EXPECT_EQ(gateway.wait(), 128 + SIGKILL);
    }
    _broker.start();
    ServiceProcess restarted({"-c", gatewayConfig(1000000)});
    SequenceReport report;
    ASSERT_TRUE(_subscriber.waitFor([&](const auto& messages) {
        report = analyse(messages, 1, 999999);
        return static_cast<long>(report.distinct()) >= spooled;
    })) << "distinct "
        << report.distinct() << " of " << spooled << " spooled\n"
        << restarted.log();
    for (const auto& [topic, values] : report.firstSeen)
        EXPECT_TRUE(consecutive(values, 1)) << topic;
    // The restarted gateway's own samples follow the replayed ones.
    ASSERT_TRUE(_subscriber.waitFor(
        [](const auto& messages) { return analyse(messages, 1000000, 2000000).distinct() > 0; }));
    stopGateway(restarted);
    std::cout << "[ sigkill ] " << spooled << " samples spooled before SIGKILL, " << report.distinct()
              << " replayed after the restart\n";
}

TEST_F(MqttOutage, ASpoolTooSmallForTheOutageDropsExactlyTheCountedOldestSamples) {
    _broker.stop();
    ServiceProcess gateway({"-c", gatewayConfig(1, "16k")});
    ASSERT_TRUE(gateway.waitForLog("health endpoint on")) << gateway.log();
    ASSERT_TRUE(eventually([&] { return counter(gateway, "sink.broker", "dropped") >= 2000; }))
        << gateway.log();
    _broker.start();
    ASSERT_TRUE(eventually([&] {
        return counter(gateway, "sink.broker", "spool_pending") == 0 &&
               counter(gateway, "sink.broker", "delivered") > 0;
    })) << gateway.log();
    const long dropped = counter(gateway, "sink.broker", "dropped");
    const long read = counter(gateway, "driver.seq", "read");
    stopGateway(gateway);

    SequenceReport report;
    ASSERT_TRUE(_subscriber.waitFor([&](const auto& messages) {
        report = analyse(messages, 1, 1000000);
        return static_cast<long>(report.distinct()) + dropped >= read;
    })) << report.distinct()
        << " + " << dropped << " dropped < " << read << " read\n"
        << gateway.log();
    // What is missing is each sensor's oldest samples, as many as were counted.
    long missing = 0;
    for (const auto& [topic, values] : report.firstSeen) {
        ASSERT_FALSE(values.empty()) << topic;
        EXPECT_TRUE(consecutive(values, values.front())) << topic;
        missing += values.front() - 1;
    }
    EXPECT_EQ(missing, dropped);
    std::cout << "[ bound   ] spool of 16 KiB through the outage: " << dropped
              << " oldest dropped and counted, " << report.distinct() << " delivered\n";
}

TEST_F(MqttOutage, ReloadsWhilePublishingLoseNothing) {
    // Each configuration counts from its own start, so every run's samples can be told apart.
    const long starts[] = {1, 1000001, 2000001};
    const std::string config = gatewayConfig(starts[0]);
    ServiceProcess gateway({"-c", config});
    ASSERT_TRUE(gateway.waitForLog("health endpoint on")) << gateway.log();
    ASSERT_TRUE(_subscriber.waitForCount(500)) << gateway.log();
    for (int reload = 1; reload <= 2; ++reload) {
        std::filesystem::rename(gatewayConfig(starts[reload]), config);
        gateway.signal(SIGHUP);
        ASSERT_TRUE(_subscriber.waitFor([&](const auto& messages) {
            return analyse(messages, starts[reload], starts[reload] + 999999).distinct() >= 500;
        })) << gateway.log();
    }
    stopGateway(gateway);

    // Every configuration's driver logs what it read when it is replaced or stopped.
    std::vector<long> read;
    const std::string log = gateway.log();
    const std::string announcement = "driver.seq (simulated): stopped, read ";
    for (std::size_t at = log.find(announcement); at != std::string::npos;
         at = log.find(announcement, at + 1))
        read.push_back(std::stol(log.substr(at + announcement.size())));
    ASSERT_EQ(read.size(), 3u) << log;
    for (int run = 0; run < 3; ++run) {
        SequenceReport report;
        ASSERT_TRUE(_subscriber.waitFor([&](const auto& messages) {
            report = analyse(messages, starts[run], starts[run] + 999999);
            return static_cast<long>(report.distinct()) >= read[run];
        })) << "run "
            << run << ": distinct " << report.distinct() << " of " << read[run] << " read";
        for (const auto& [topic, values] : report.firstSeen)
            EXPECT_TRUE(consecutive(values, starts[run])) << topic;
    }
}

TEST_F(MqttOutage, AGatewayThatDiesIsReportedOfflineByItsLastWill) {
    // Its own identity: one connection per identity, and _subscriber holds the reader's.
    const BrokerCredentials statusReader = _broker.addSubscriber("status_reader", "hypo_city/+/+/status");
    Subscriber status(_broker, statusReader, "hypo_city/city_01/street_01/status");
    ServiceProcess gateway({"-c", gatewayConfig(1)});
    ASSERT_TRUE(status.waitFor([](const auto& messages) {
        return !messages.empty() && messages.back().payload == "online";
    })) << gateway.log();
    gateway.signal(SIGKILL);
    gateway.wait();
    ASSERT_TRUE(status.waitFor([](const auto& messages) { return messages.back().payload == "offline"; }));
}

}  // namespace
}  // namespace citysense

namespace citysense {
namespace {

TEST_F(MqttFailover, WhenItsBrokerStopsTheGatewayMovesToTheNextAndLosesNothing) {
    ServiceProcess gateway({"-c", gatewayConfig(1)});
    ASSERT_TRUE(_subscriber.waitForCount(500)) << gateway.log();
    _broker.stop();
    ASSERT_TRUE(_secondSubscriber.waitForCount(500)) << gateway.log();
    _broker.start();  // what it had queued for its reader reaches it
    stopGateway(gateway);
    const long read = readCount(gateway);
    ASSERT_GT(read, 1000) << gateway.log();

    // Both brokers' readers together saw every reading of each sensor, in order where first seen.
    SequenceReport report;
    ASSERT_TRUE(_subscriber.waitFor([&](const std::vector<ReceivedMessage>& first) {
        std::vector<ReceivedMessage> all = first;
        const std::vector<ReceivedMessage> second = _secondSubscriber.messages();
        all.insert(all.end(), second.begin(), second.end());
        report = analyse(all, 1, 1000000);
        return static_cast<long>(report.distinct()) >= read;
    })) << report.distinct()
        << " of " << read << " read\n"
        << gateway.log();
    EXPECT_EQ(static_cast<long>(report.distinct()), read);
    for (const auto& [topic, values] : report.firstSeen)
        EXPECT_TRUE(consecutive(values, 1)) << topic;
    EXPECT_NE(gateway.log().find("connected to " + _second.tlsUri()), std::string::npos) << gateway.log();
}

}  // namespace
}  // namespace citysense
