// The mqtt sink's announcement against a real Mosquitto: the document is published retained on
// `{system}/{city}/{street}/about` at once when the sink is connected, at the connect when it came
// before, and again at every reconnect, so that a subscriber arriving later reads it; an empty
// announce_topic publishes none. A real gateway announces its position and each series' interval at
// start, and again after a reload that changes them.
#include "MqttTestSupport.h"
#include "PluginHarness.h"
#include "ServiceProcess.h"
#include "Subscriber.h"

#include <payload/AnnouncementJson.h>

#include <gtest/gtest.h>

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>

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

TEST_F(MqttAnnouncement, AGatewayAnnouncesAtStartAndAgainAfterAReload) {
    const auto config = [&](const std::string& name, const std::string& driverKeys,
                            const std::string& filters) {
        const std::string path = _broker.directory() + "/" + name;
        std::ofstream(path) << "[host]\nsystem = hypo_city\ncity = city_01\nstreet = street_01\n"
                               "latitude = 52.52\nlongitude = 13.405\nspool_dir = "
                            << _broker.directory() << "/spool\nhttp_listen = off\n"
                            << "[driver.air]\nplugin = simulated\nquantities = no2\n"
                            << driverKeys << "[filter.quiet]\nplugin = deadband\nmax_silence = 15m\n"
                            << "[sink.broker]\nplugin = mqtt\n"
                            << _broker.clientKeys(_gateway) << "[pipeline.main]\ndrivers = air\n"
                            << filters << "sinks = broker\n";
        return path;
    };
    Subscriber subscriber(_broker, _reader, kAboutTopic);
    const std::string path = config("gateway.ini", "interval = 5s\n", "");
    ServiceProcess gateway({"-c", path});
    ASSERT_TRUE(subscriber.waitFor([](const auto& messages) { return !messages.empty(); })) << gateway.log();
    const Announcement first = decodeAnnouncement(subscriber.messages().back().payload);
    EXPECT_DOUBLE_EQ(first.station.latitude, 52.52);
    EXPECT_DOUBLE_EQ(first.station.longitude, 13.405);
    ASSERT_EQ(first.channels.size(), 1u);
    EXPECT_EQ(first.channels[0].driver, "driver.air");
    EXPECT_EQ(first.channels[0].plugin, "simulated");
    EXPECT_EQ(first.channels[0].interval, 5 * kMicrosPerSecond);
    EXPECT_FALSE(first.channels[0].onChange);

    std::filesystem::rename(config("next.ini", "interval = 2s\n", "filters = quiet\n"), path);
    gateway.signal(SIGHUP);
    ASSERT_TRUE(subscriber.waitFor([](const auto& messages) {
        return decodeAnnouncement(messages.back().payload).channels.at(0).interval == 2 * kMicrosPerSecond;
    })) << gateway.log();
    const Announcement reloaded = decodeAnnouncement(subscriber.messages().back().payload);
    EXPECT_TRUE(reloaded.channels[0].onChange);
    EXPECT_EQ(reloaded.channels[0].maxSilence, 15 * 60 * kMicrosPerSecond);
    gateway.signal(SIGTERM);
    EXPECT_EQ(gateway.wait(), 0) << gateway.log();
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
