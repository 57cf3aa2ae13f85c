// The mqtt_source driver reading gateways' announcements from a real Mosquitto: a retained document is
// read at the subscription and emitted (Emitter::announce()); a bad one (not JSON, a wrong unit, another
// station's document on a gateway's topic) is counted as malformed_payload, logged with its topic and
// what is wrong, and the driver goes on; an empty announce_topic reads none. The announced series are
// the driver's own, as the readings it emits are.
#include "MqttTestSupport.h"
#include "PluginHarness.h"
#include "ServiceProcess.h"

#include <citysense/DropCounts.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>

namespace citysense {
namespace {

using namespace test;

const std::string kAboutTopic = "hypo_city/city_01/street_01/about";

std::string document(const std::string& street, const std::string& unit, double interval) {
    return R"({"station":{"system":"hypo_city","city":"city_01","street":")" + street +
           R"(","latitude":52.5,"longitude":13.4},"channels":[{"driver":"driver.air","quantity":"no2",)"
           R"("unit":")" +
           unit + R"(","plugin":"alphasense","plugin_version":"1.0.0","interval_s":)" +
           std::to_string(interval) + R"(,"publish":"periodic"}]})";
}

class MqttSourceAnnouncements : public ::testing::Test {
protected:
    Broker _broker;
    BrokerCredentials _gateway = _broker.addGateway("hypo_city", "city_01", "street_01");
    BrokerCredentials _reader = _broker.addSubscriber("reader", "hypo_city/#");

    /// Publishes `payload` on `topic` as the gateway with mosquitto_pub (QoS 1), retained.
    void publishRetained(const std::string& topic, const std::string& payload) {
        const std::string command = "mosquitto_pub -h 127.0.0.1 -p " + std::to_string(_broker.tlsPort()) +
                                    " --cafile " + _broker.caFile() + " -u " + _gateway.username + " -P '" +
                                    _gateway.password + "' -q 1 -r -t '" + topic + "' -m '" + payload + "'";
        ASSERT_EQ(std::system(command.c_str()), 0) << command;
    }

    std::unique_ptr<Driver> source(const std::map<std::string, std::string>& extra = {}) {
        auto options = tlsOptions(_broker, _reader);
        options["persistent_session"] = "false";
        for (const auto& [key, value] : extra)
            options[key] = value;
        return makeDriver("mqtt_source", options);
    }
};

TEST_F(MqttSourceAnnouncements, ARetainedDocumentIsReadAtTheSubscriptionAndEmitted) {
    publishRetained(kAboutTopic, document("street_01", "ppb", 2.5));
    auto driver = source();
    RunningDriver running(*driver);
    ASSERT_TRUE(eventually([&] { return !running.announcements().empty() || !running.failure().empty(); }));
    ASSERT_EQ(running.failure(), "");
    const Announcement got = running.announcements().front();
    EXPECT_EQ(got.station.system, "hypo_city");
    EXPECT_EQ(got.station.street, "street_01");
    EXPECT_TRUE(got.station.hasPosition);
    EXPECT_DOUBLE_EQ(got.station.latitude, 52.5);
    ASSERT_EQ(got.channels.size(), 1u);
    // Stored as this instance's series, as its readings are: payloads name no gateway driver.
    EXPECT_EQ(got.channels[0].driver, driver->instanceName());
    EXPECT_EQ(got.channels[0].plugin, "alphasense");
    EXPECT_EQ(got.channels[0].quantity, Quantity::NO2);
    EXPECT_EQ(got.channels[0].interval, 2500000);
    EXPECT_TRUE(running.samples().empty());
}

TEST_F(MqttSourceAnnouncements, BadDocumentsAreCountedAsMalformedAndTheNextGoodOneStillArrives) {
    auto driver = source();
    RunningDriver running(*driver);
    // Until the driver has subscribed, publish a good document it then reads.
    ASSERT_TRUE(eventually([&] {
        publishRetained(kAboutTopic, document("street_01", "ppb", 10));
        return !running.announcements().empty() || !running.failure().empty();
    }));
    ASSERT_EQ(running.failure(), "");
    const std::size_t before = running.announcements().size();
    publishRetained(kAboutTopic, "not a document");
    publishRetained(kAboutTopic, document("street_01", "Cel", 10));
    // Another station's document on this gateway's topic: the gateway may not speak for it.
    publishRetained(kAboutTopic, document("street_02", "ppb", 10));
    publishRetained(kAboutTopic, document("street_01", "ppb", 30));
    const auto lastInterval = [&] {
        const auto got = running.announcements();
        return got.empty() ? Micros{0} : got.back().channels[0].interval;
    };
    ASSERT_TRUE(eventually([&] { return lastInterval() == 30 * kMicrosPerSecond; }));
    // After `before`, a copy of the first document published while waiting for the subscription may
    // still arrive (its interval 10 s); besides those, only the last good document.
    const auto got = running.announcements();
    const auto newer = std::count_if(got.begin() + static_cast<std::ptrdiff_t>(before), got.end(),
                                     [](const Announcement& announcement) {
                                         return announcement.channels[0].interval != 10 * kMicrosPerSecond;
                                     });
    EXPECT_EQ(newer, 1);
    EXPECT_EQ(driver->dropCounts().byReason(),
              (std::map<std::string, std::uint64_t>{{"malformed_payload", 3}}));
    EXPECT_EQ(running.failure(), "");
}

TEST_F(MqttSourceAnnouncements, AnEmptyAnnounceTopicReadsNone) {
    publishRetained(kAboutTopic, document("street_01", "ppb", 10));
    auto driver = source({{"announce_topic", ""}, {"topics", "hypo_city/+/+/+/+"}});
    RunningDriver running(*driver);
    // A reading published after the subscription arrives; the retained document came before it, if at all.
    ASSERT_TRUE(eventually([&] {
        publishRetained("hypo_city/city_01/street_01/air_pollution/no2_level",
                        "2026-11-24 10:00:00.000000\t1");
        return !running.samples().empty() || !running.failure().empty();
    }));
    EXPECT_TRUE(running.announcements().empty());
    EXPECT_TRUE(driver->dropCounts().byReason().empty());
}

TEST_F(MqttSourceAnnouncements, AnAnnounceTopicWithoutTheStationIsAnOptionError) {
    EXPECT_EQ(optionKeyOf([&] { source({{"announce_topic", "{system}/{city}/about"}}); }), "announce_topic");
    EXPECT_EQ(optionKeyOf([&] {
                  source({{"announce_topic", "{system}/+/{city}/{street}"}});
              }),
              "announce_topic");
}

}  // namespace
}  // namespace citysense
