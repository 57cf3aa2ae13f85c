// Client ids belong to identities: the broker (etc/mosquitto) gives every connection its user name as
// client id, so another identity asking for a gateway's id neither puts the gateway out nor costs it a
// reading. The sink asks for that id itself by default, and warns about an id that differs from it or
// that is the deployed prototype's (<city>_<street>).
#include "MqttTestSupport.h"
#include "PluginHarness.h"
#include "RecordingLog.h"
#include "Subscriber.h"

#include <gtest/gtest.h>

namespace citysense {
namespace {

using namespace test;

const std::string kStatusTopic = "hypo_city/city_01/street_01/status";

TEST(MqttClientId, AnotherIdentityAskingForTheGatewaysClientIdNeitherPutsItOutNorCostsItAReading) {
    Broker broker;
    const BrokerCredentials gateway = broker.addGateway("hypo_city", "city_01", "street_01");
    const BrokerCredentials intruder = broker.addGateway("hypo_city", "city_01", "street_02");
    const BrokerCredentials reader = broker.addSubscriber("reader", "hypo_city/#");
    Subscriber subscriber(broker, reader, "hypo_city/#");
    RecordingLog log("sink.test");
    auto sink = makeSink("mqtt", tlsOptions(broker, gateway));
    sink->open();
    // Another gateway's login with this gateway's client id, coming back whenever it is put out. Where
    // the broker lets it, it takes the gateway's place: the gateway's last will says offline, and what
    // the gateway publishes meanwhile fails or needs a new connection.
    Subscriber intruding(broker, intruder, "hypo_city/city_01/street_02/#", Subscriber::Session::Clean,
                         gateway.username);

    SampleBatch batch;
    for (int i = 1; i <= 200; ++i)
        batch.push_back(testSample(Quantity::NO2, i, 1764000000000000 + i));
    EXPECT_EQ(errorOf([&] { sink->write(batch); }), "(no exception)");
    const auto readings = [](const std::vector<ReceivedMessage>& messages) {
        std::size_t count = 0;
        for (const ReceivedMessage& message : messages)
            count += message.topic != kStatusTopic;
        return count;
    };
    ASSERT_TRUE(subscriber.waitFor([&](const auto& messages) { return readings(messages) >= 200; }));
    // The broker routes a will before the readings that follow it: all are in by now.
    const std::vector<ReceivedMessage> messages = subscriber.messages();
    EXPECT_EQ(readings(messages), 200u);
    for (const ReceivedMessage& message : messages)
        EXPECT_FALSE(message.topic == kStatusTopic && message.payload == "offline")
            << "the gateway was put out";
    EXPECT_EQ(log.count(Poco::Message::PRIO_INFORMATION, "connected to"), 1);
    sink->close();
}

/// What configuring a sink for the test station (hypo_city/city_01/street_01) with `options` warns of.
std::vector<std::string> configureWarnings(const std::map<std::string, std::string>& options) {
    RecordingLog log("sink.test");
    makeSink("mqtt", options);
    return log.find(Poco::Message::PRIO_WARNING, "");
}

TEST(MqttClientId, ByDefaultTheSinkAsksForItsUserNameAndWarnsOfNothing) {
    EXPECT_EQ(configureWarnings({{"username", "gw_city_01_street_01"}}), std::vector<std::string>{});
    EXPECT_EQ(configureWarnings({}), std::vector<std::string>{});
}

TEST(MqttClientId, AnIdOtherThanTheUserNameIsWarnedAbout) {
    EXPECT_EQ(
        configureWarnings({{"username", "gw_city_01_street_01"}, {"client_id", "gateway_7"}}),
        std::vector<std::string>{"the client id 'gateway_7' is not the user name 'gw_city_01_street_01': "
                                 "a broker that binds client ids to user names "
                                 "(use_username_as_clientid, as etc/mosquitto/mosquitto.conf does) "
                                 "uses 'gw_city_01_street_01' instead"});
}

TEST(MqttClientId, ThePrototypesIdIsWarnedAboutWhetherGivenOrTheUserName) {
    const std::string prototype =
        "the client id 'city_01_street_01' is the deployed prototype's for this street: on a broker that "
        "does not bind client ids to user names, the two disconnect each other while both run "
        "(tools/add-gateway names a gateway gw_<city>_<street>)";
    EXPECT_EQ(configureWarnings({{"username", "city_01_street_01"}}), std::vector<std::string>{prototype});
    const std::vector<std::string> given =
        configureWarnings({{"username", "gw_city_01_street_01"}, {"client_id", "city_01_street_01"}});
    ASSERT_EQ(given.size(), 2u);
    EXPECT_EQ(given[1], prototype);
}

}  // namespace
}  // namespace citysense
