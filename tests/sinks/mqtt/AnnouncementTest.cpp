// The mqtt sink's announcement against a real Mosquitto: the document is published retained on
// `{system}/{city}/{street}/about` at once when the sink is connected, at the connect when it came
// before, and again at every reconnect, so that a subscriber arriving later reads it; an empty
// announce_topic publishes none.
#include "MqttTestSupport.h"
#include "PluginHarness.h"
#include "Subscriber.h"

#include <payload/AnnouncementJson.h>

#include <gtest/gtest.h>

#include <cstdlib>

namespace citysense {
namespace {

using namespace test;

const std::string kAboutTopic = "hypo_city/city_01/street_01/about";

Announcement announcement(Micros interval) {
    Announcement result;
    result.station = {"hypo_city", "city_01", "street_01", 52.37, 4.89, true};
    result.channels.push_back({"driver.air", Quantity::NO2, "simulated", "1.0.0", interval, true, 0});
    return result;
}

std::vector<ReceivedMessage> about(const std::vector<ReceivedMessage>& messages) {
    std::vector<ReceivedMessage> result;
    for (const ReceivedMessage& message : messages)
        if (message.topic == kAboutTopic)
            result.push_back(message);
    return result;
}

class MqttAnnouncement : public ::testing::Test {
protected:
    Broker _broker;
    BrokerCredentials _gateway = _broker.addGateway("hypo_city", "city_01", "street_01");
    BrokerCredentials _reader = _broker.addSubscriber("reader", "hypo_city/#");

    std::unique_ptr<Sink> gatewaySink(const std::map<std::string, std::string>& extra = {}) {
        auto options = tlsOptions(_broker, _gateway);
        for (const auto& [key, value] : extra)
            options[key] = value;
        return makeSink("mqtt", options);
    }

    /// The retained announcement a subscriber arriving now reads (waiting for it); empty without one.
    std::string retained() {
        Subscriber late(_broker, _reader, kAboutTopic);
        late.waitFor([](const auto& messages) { return !messages.empty(); });
        const auto messages = late.messages();
        return messages.empty() ? std::string() : messages.back().payload;
    }
};

TEST_F(MqttAnnouncement, AnAnnouncementBeforeTheConnectIsPublishedRetainedAtTheConnect) {
    auto sink = gatewaySink();
    sink->announce(announcement(10 * kMicrosPerSecond));
    sink->open();
    const std::string document = retained();
    ASSERT_FALSE(document.empty());
    const Announcement read = decodeAnnouncement(document);
    EXPECT_EQ(read.station.street, "street_01");
    EXPECT_DOUBLE_EQ(read.station.latitude, 52.37);
    ASSERT_EQ(read.channels.size(), 1u);
    EXPECT_EQ(read.channels[0].interval, 10 * kMicrosPerSecond);
    EXPECT_TRUE(read.channels[0].onChange);
    sink->close();
}

TEST_F(MqttAnnouncement, ANewAnnouncementWhileConnectedReplacesTheRetainedOneAtOnce) {
    Subscriber subscriber(_broker, _reader, kAboutTopic);
    auto sink = gatewaySink();
    sink->open();
    sink->announce(announcement(10 * kMicrosPerSecond));
    sink->announce(announcement(60 * kMicrosPerSecond));
    ASSERT_TRUE(subscriber.waitFor([](const auto& messages) { return about(messages).size() >= 2; }));
    EXPECT_EQ(decodeAnnouncement(about(subscriber.messages()).back().payload).channels[0].interval,
              60 * kMicrosPerSecond);
    EXPECT_EQ(decodeAnnouncement(retained()).channels[0].interval, 60 * kMicrosPerSecond);
    sink->close();
}

TEST_F(MqttAnnouncement, EveryReconnectPublishesItAgain) {
    auto sink = gatewaySink();
    sink->announce(announcement(10 * kMicrosPerSecond));
    sink->open();
    sink->close();
    // Someone clears the retained document (the broker lost it, say): the next connect puts it back.
    const std::string clear = "mosquitto_pub -h 127.0.0.1 -p " + std::to_string(_broker.tlsPort()) +
                              " --cafile " + _broker.caFile() + " -u " + _gateway.username + " -P '" +
                              _gateway.password + "' -q 1 -r -t '" + kAboutTopic + "' -n";
    ASSERT_EQ(std::system(clear.c_str()), 0) << clear;
    Subscriber subscriber(_broker, _reader, kAboutTopic);
    sink->open();
    ASSERT_TRUE(subscriber.waitFor([](const auto& messages) { return !about(messages).empty(); }));
    EXPECT_EQ(decodeAnnouncement(about(subscriber.messages()).back().payload).channels[0].interval,
              10 * kMicrosPerSecond);
    sink->close();
}

TEST_F(MqttAnnouncement, AnEmptyAnnounceTopicPublishesNone) {
    // The announcement would go out at the connect, before the reading, on the same connection.
    Subscriber subscriber(_broker, _reader, "hypo_city/city_01/street_01/#");
    auto sink = gatewaySink({{"announce_topic", ""}});
    sink->announce(announcement(10 * kMicrosPerSecond));
    sink->open();
    sink->write({testSample(Quantity::NO2, 1, 1000000)});
    ASSERT_TRUE(subscriber.waitFor([](const auto& messages) {
        return !messages.empty() &&
               messages.back().topic == "hypo_city/city_01/street_01/air_pollution/no2_level";
    }));
    EXPECT_TRUE(about(subscriber.messages()).empty());
    sink->close();
}

TEST_F(MqttAnnouncement, AnAnnounceTopicWithOtherPlaceholdersIsAnOptionError) {
    EXPECT_EQ(optionKeyOf([&] {
                  gatewaySink({{"announce_topic", "{system}/{quantity}/about"}});
              }),
              "announce_topic");
}

}  // namespace
}  // namespace citysense
