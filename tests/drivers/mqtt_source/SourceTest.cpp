// The mqtt_source driver's own duties: malformed messages are skipped and counted as dropped
// (malformed_payload) without stopping it, instances in one MQTT 5 shared subscription split the
// messages between them, and a client id that the broker would replace with the user name is warned about.
#include "MqttTestSupport.h"
#include "PluginHarness.h"
#include "RecordingLog.h"
#include "ServiceProcess.h"

#include <citysense/DropCounts.h>

#include <gtest/gtest.h>

#include <cstdlib>
#include <map>
#include <set>

namespace citysense {
namespace {

using namespace test;

class MqttSource : public ::testing::Test {
protected:
    Broker _broker;
    BrokerCredentials _gateway = _broker.addGateway("hypo_city", "city_01", "street_01");
    BrokerCredentials _reader = _broker.addSubscriber("reader", "hypo_city/#");

    /// Publishes `payload` on `topic` as the gateway, with mosquitto_pub (QoS 1).
    void publishRaw(const std::string& topic, const std::string& payload) {
        const std::string command = "mosquitto_pub -h 127.0.0.1 -p " + std::to_string(_broker.tlsPort()) +
                                    " --cafile " + _broker.caFile() + " -u " + _gateway.username + " -P '" +
                                    _gateway.password + "' -q 1 -t '" + topic + "' -m '" + payload + "'";
        ASSERT_EQ(std::system(command.c_str()), 0) << command;
    }

    /// A source connecting as `identity`, by default the reader.
    std::unique_ptr<Driver> source(const std::map<std::string, std::string>& extra = {},
                                   const BrokerCredentials* identity = nullptr) {
        auto options = tlsOptions(_broker, identity ? *identity : _reader);
        options["persistent_session"] = "false";
        for (const auto& [key, value] : extra)
            options[key] = value;
        return makeDriver("mqtt_source", options);
    }
};

TEST_F(MqttSource, MalformedMessagesAreSkippedAndTheNextGoodOneStillArrives) {
    auto driver = source();
    RunningDriver running(*driver);
    const std::string topic = "hypo_city/city_01/street_01/temperature/celcius";
    // Until the driver has subscribed, publish a round of bad messages and one good one.
    ASSERT_TRUE(eventually([&] {
        publishRaw(topic, "not a reading");
        publishRaw(topic, "{\"value\":\"12\",\"time\":\"2026-11-24T10:00:00Z\"}");
        publishRaw(topic, "[{\"n\":\"x\",\"v\":1");
        publishRaw("hypo_city/city_01/street_01/temperature/kelvin", "2026-11-24 10:00:00.000000\t1");
        publishRaw(topic, "{\"value\":21.5,\"unit\":\"degF\",\"time\":\"2026-11-24T10:00:00Z\"}");
        publishRaw(topic, "2026-11-24 10:00:00.000001\t21.5");
        return !running.samples().empty() || !running.failure().empty();
    }));
    EXPECT_EQ(running.failure(), "");
    for (const Sample& sample : running.samples()) {
        EXPECT_EQ(sample.value, 21.5);
        EXPECT_EQ(sample.time % kMicrosPerSecond, 1);  // only the good tsv reading got through
    }

    // Subscribed now, so every malformed message is counted, under one reason. Each publish is
    // acknowledged before the next starts, so the good one arrives after the malformed ones.
    const std::uint64_t before = driver->dropCounts().count("malformed_payload");
    EXPECT_GE(before, 1u);
    publishRaw(topic, "not a reading");
    publishRaw("hypo_city/city_01/street_01/temperature/kelvin", "2026-11-24 10:00:00.000000\t1");
    publishRaw(topic, "2026-11-24 10:00:00.000002\t21.5");
    ASSERT_TRUE(eventually([&] { return running.samples().back().time % kMicrosPerSecond == 2; }));
    EXPECT_EQ(driver->dropCounts().byReason(),
              (std::map<std::string, std::uint64_t>{{"malformed_payload", before + 2}}));
}

TEST_F(MqttSource, InstancesOfOneShareGroupSplitTheMessagesBetweenThem) {
    // One identity each: the broker gives a connection its user name as client id.
    const BrokerCredentials ingest1 = _broker.addSubscriber("ingest_1", "hypo_city/#");
    const BrokerCredentials ingest2 = _broker.addSubscriber("ingest_2", "hypo_city/#");
    const std::map<std::string, std::string> shared = {{"mqtt_version", "5"}, {"share_group", "ingest"}};
    auto first = source(shared, &ingest1);
    auto second = source(shared, &ingest2);
    RunningDriver runningFirst(*first);
    RunningDriver runningSecond(*second);

    auto options = tlsOptions(_broker, _gateway);
    options["mqtt_version"] = "5";
    auto sink = makeSink("mqtt", options);
    sink->open();
    // Both members must have subscribed before the counted messages go out: publish probes until
    // each has received one.
    Micros time = 1000000;  // probes are told apart from the counted samples by their time
    ASSERT_TRUE(eventually([&] {
        sink->write({testSample(Quantity::NO2, 0, time++)});
        return !runningFirst.samples().empty() && !runningSecond.samples().empty();
    })) << runningFirst.failure()
        << runningSecond.failure();
    const auto counted = [](const RunningDriver& running) {
        std::size_t n = 0;
        for (const Sample& sample : running.samples())
            n += sample.time > 1000 && sample.time <= 1200;
        return n;
    };

    SampleBatch batch;
    for (int i = 1; i <= 200; ++i)
        batch.push_back(testSample(Quantity::NO2, i, 1000 + i));
    sink->write(batch);
    ASSERT_TRUE(eventually([&] { return counted(runningFirst) + counted(runningSecond) >= 200; }));
    std::multiset<double> values;
    for (const RunningDriver* running : {&runningFirst, &runningSecond}) {
        std::size_t share = 0;
        for (const Sample& sample : running->samples())
            if (sample.time > 1000 && sample.time <= 1200) {
                values.insert(sample.value);
                ++share;
            }
        EXPECT_GT(share, 0u);  // both members took part
    }
    EXPECT_EQ(values.size(), 200u);  // each message went to one member only
    EXPECT_EQ(std::set<double>(values.begin(), values.end()).size(), 200u);
}

TEST_F(MqttSource, AShareGroupNeedsMqttFive) {
    EXPECT_EQ(optionKeyOf([&] { source({{"share_group", "ingest"}}); }), "share_group");
}

TEST_F(MqttSource, AClientIdOtherThanTheUserNameIsWarnedAbout) {
    RecordingLog log;
    source();
    EXPECT_EQ(log.count(Poco::Message::PRIO_WARNING, "client id"), 0);
    source({{"client_id", "ingest_7"}});
    EXPECT_EQ(log.count(Poco::Message::PRIO_WARNING,
                        "the client id 'ingest_7' is not the user name 'reader': a broker that binds client "
                        "ids to user names"),
              1);
}

}  // namespace
}  // namespace citysense
