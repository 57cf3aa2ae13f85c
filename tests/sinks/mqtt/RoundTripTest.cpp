// The mqtt sink and the mqtt_source driver against a real Mosquitto over TLS with passwords: what
// is published arrives unchanged (topic, value, timestamp, unit, quality) in every format, a batch
// many times max_inflight arrives whole and in order at every QoS, and the retained status topic says
// online and offline.
#include "MqttTestSupport.h"
#include "PluginHarness.h"
#include "ServiceProcess.h"
#include "Subscriber.h"

#include <payload/Payload.h>

#include <gtest/gtest.h>

namespace citysense {
namespace {

using namespace test;

constexpr Micros kTime = 1764000000123456;  // 2025-11-24 16:00:00.123456 UTC

SampleBatch readingsOfOneRead() {
    return {testSample(Quantity::Temperature, 21.5, kTime), testSample(Quantity::Humidity, 55.25, kTime),
            testSample(Quantity::Pressure, 101325.5, kTime),
            testSample(Quantity::NO2, 1e-05, kTime + 1, QualityOutOfRange | QualitySimulated)};
}

const char* const kTopics[] = {"hypo_city/city_01/street_01/temperature/celcius",
                               "hypo_city/city_01/street_01/air_condition/humidity",
                               "hypo_city/city_01/street_01/air_condition/pressure",
                               "hypo_city/city_01/street_01/air_pollution/no2_level"};

const std::string kStatusTopic = "hypo_city/city_01/street_01/status";

std::vector<ReceivedMessage> readings(const std::vector<ReceivedMessage>& messages) {
    std::vector<ReceivedMessage> result;
    for (const ReceivedMessage& message : messages)
        if (message.topic != kStatusTopic)
            result.push_back(message);
    return result;
}

class MqttRoundTrip : public ::testing::TestWithParam<std::string> {
protected:
    Broker _broker;
    BrokerCredentials _gateway = _broker.addGateway("hypo_city", "city_01", "street_01");
    BrokerCredentials _reader = _broker.addSubscriber("reader", "hypo_city/#");

    std::unique_ptr<Sink> gatewaySink() {
        auto options = tlsOptions(_broker, _gateway);
        options["format"] = GetParam();
        return makeSink("mqtt", options);
    }
};

TEST_P(MqttRoundTrip, TopicValueTimestampUnitAndQualityArriveUnchanged) {
    Subscriber subscriber(_broker, _reader, "hypo_city/#");
    auto sink = gatewaySink();
    sink->open();
    const SampleBatch sent = readingsOfOneRead();
    sink->write(sent);
    ASSERT_TRUE(subscriber.waitFor([](const auto& messages) { return readings(messages).size() >= 4; }));

    const std::vector<ReceivedMessage> received = readings(subscriber.messages());
    ASSERT_EQ(received.size(), 4u);
    for (std::size_t i = 0; i < sent.size(); ++i) {
        SCOPED_TRACE(received[i].topic + " " + received[i].payload);
        EXPECT_EQ(received[i].topic, kTopics[i]);
        const std::vector<DecodedReading> decoded =
            decodePayload(received[i].topic, received[i].payload, payloadFormatByName(GetParam()));
        ASSERT_EQ(decoded.size(), 1u);
        EXPECT_EQ(decoded[0].name, kTopics[i]);
        EXPECT_EQ(decoded[0].value, sent[i].value);
        EXPECT_EQ(decoded[0].time, sent[i].time);
        if (GetParam() != "tsv") {  // the prototype's payload carries no unit or quality
            EXPECT_EQ(decoded[0].unit, info(sent[i].quantity).unit);
            EXPECT_EQ(decoded[0].quality, sent[i].quality);
        }
    }
}

TEST_P(MqttRoundTrip, TheSourceDriverGetsBackTheSamplesThatWereSent) {
    auto options = tlsOptions(_broker, _reader);
    options["persistent_session"] = "false";
    auto source = makeDriver("mqtt_source", options);
    RunningDriver running(*source);
    // Once it is subscribed, so is the source (usually). An identity of its own: the source has the reader's.
    const BrokerCredentials witness = _broker.addSubscriber("witness", "hypo_city/#");
    Subscriber ready(_broker, witness, "hypo_city/#");
    ASSERT_TRUE(eventually([&] {
        // Publish until the source has subscribed and sees the first batch.
        auto sink = gatewaySink();
        sink->open();
        sink->write(readingsOfOneRead());
        sink->close();
        return eventually([&] { return running.samples().size() >= 4 || !running.failure().empty(); });
    }));
    ASSERT_EQ(running.failure(), "");
    const SampleBatch sent = readingsOfOneRead();
    // The last batch arrived whole (an earlier one may have been cut by the subscription's start).
    SampleBatch got = running.samples();
    ASSERT_GE(got.size(), 4u);
    got.erase(got.begin(), got.end() - 4);
    for (std::size_t i = 0; i < sent.size(); ++i) {
        EXPECT_EQ(got[i].quantity, sent[i].quantity);
        EXPECT_EQ(got[i].value, sent[i].value);
        EXPECT_EQ(got[i].time, sent[i].time);
        if (GetParam() != "tsv") {
            EXPECT_EQ(got[i].quality, sent[i].quality);
        }
        ASSERT_NE(got[i].source, nullptr);
        EXPECT_EQ(got[i].source->station.system, "hypo_city");
        EXPECT_EQ(got[i].source->station.city, "city_01");
        EXPECT_EQ(got[i].source->station.street, "street_01");
    }
}

TEST_P(MqttRoundTrip, TheStatusTopicIsRetainedOnlineWhileConnectedAndOfflineAfter) {
    auto sink = gatewaySink();
    sink->open();
    {
        // A subscriber arriving later still learns the state: the status is retained.
        Subscriber late(_broker, _reader, kStatusTopic);
        ASSERT_TRUE(late.waitForCount(1));
        EXPECT_EQ(late.messages()[0].payload, "online");
        EXPECT_TRUE(late.messages()[0].retained);
    }
    sink->close();
    Subscriber after(_broker, _reader, kStatusTopic);
    ASSERT_TRUE(after.waitForCount(1));
    EXPECT_EQ(after.messages()[0].payload, "offline");
}

INSTANTIATE_TEST_SUITE_P(Formats, MqttRoundTrip, ::testing::Values("tsv", "json", "senml"));

/// A gateway sink with a window of 4 messages, at the QoS of the parameter.
class MqttWindow : public ::testing::TestWithParam<int> {
protected:
    Broker _broker;
    BrokerCredentials _gateway = _broker.addGateway("hypo_city", "city_01", "street_01");
    BrokerCredentials _reader = _broker.addSubscriber("reader", "hypo_city/#");
};

TEST_P(MqttWindow, ABatchManyTimesTheWindowArrivesWholeAndInOrder) {
    Subscriber subscriber(_broker, _reader, "hypo_city/#");
    auto options = tlsOptions(_broker, _gateway);
    options["qos"] = std::to_string(GetParam());
    options["max_inflight"] = "4";
    auto sink = makeSink("mqtt", options);
    sink->open();
    SampleBatch batch;
    for (int i = 0; i < 100; ++i)
        batch.push_back(testSample(Quantity::Temperature, i, kTime + i));
    sink->write(batch);  // returns once the window let all 100 out (and the broker acknowledged them)
    ASSERT_TRUE(subscriber.waitFor([](const auto& messages) { return readings(messages).size() >= 100; }));

    const std::vector<ReceivedMessage> received = readings(subscriber.messages());
    ASSERT_EQ(received.size(), 100u);
    for (std::size_t i = 0; i < received.size(); ++i) {
        const std::vector<DecodedReading> decoded =
            decodePayload(received[i].topic, received[i].payload, PayloadFormat::Tsv);
        ASSERT_EQ(decoded.size(), 1u) << received[i].payload;
        EXPECT_EQ(decoded[0].value, static_cast<double>(i));
    }
}

INSTANTIATE_TEST_SUITE_P(Qos, MqttWindow, ::testing::Values(0, 1, 2));

}  // namespace
}  // namespace citysense
