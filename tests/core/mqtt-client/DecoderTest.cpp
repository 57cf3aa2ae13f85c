// From a received message to samples (core/mqtt-client/Decoder): the station comes from the topic the
// broker's ACL checked, never from a payload that claims another; status messages are not readings.
#include "PluginHarness.h"

#include <mqtt-client/Decoder.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace citysense {
namespace {

using ::testing::HasSubstr;

mqtt::Decoder decoder() {
    return mqtt::Decoder(TopicTemplate(TopicTemplate::kDefault), PayloadFormat::Auto, Station{},
                         "driver.ingest");
}

TEST(Decoder, ASenmlPackNamingAnotherStationThanItsTopicIsRefused) {
    SampleBatch out;
    const std::string error = test::errorOf([&] {
        decoder().decode(
            "hypo_city/city_01/street_02/traffic/traffic_speed",
            R"([{"bn":"hypo_city/city_09/street_77/traffic/","n":"traffic_speed","v":50,"t":1764000000}])",
            out);
    });
    EXPECT_THAT(error, HasSubstr("names another station than its topic"));
    EXPECT_TRUE(out.empty());
}

TEST(Decoder, ASenmlPackOfItsOwnStationIsRead) {
    SampleBatch out;
    decoder().decode(
        "hypo_city/city_01/street_02/traffic/traffic_speed",
        R"([{"bn":"hypo_city/city_01/street_02/traffic/","n":"traffic_speed","u":"km/h","v":50,"t":1764000000}])",
        out);
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].quantity, Quantity::TrafficSpeed);
    EXPECT_EQ(out[0].source->station.street, "street_02");
    EXPECT_EQ(out[0].source->instance, "driver.ingest");
}

TEST(Decoder, AStreetLongerThanTheStoreHoldsIsRefused) {
    SampleBatch out;
    const std::string street(256, 's');
    const std::string error = test::errorOf([&] {
        decoder().decode("hypo_city/city_01/" + street + "/traffic/traffic_speed",
                         R"({"value":50,"time":"2026-11-24T10:00:00Z"})", out);
    });
    EXPECT_THAT(error, HasSubstr("the street is 256 characters long, longer than the 255 a name may have"));
    EXPECT_TRUE(out.empty());
}

TEST(Decoder, StatusMessagesAreNotReadings) {
    SampleBatch out;
    decoder().decode("hypo_city/city_01/street_01/status", "offline", out);
    EXPECT_TRUE(out.empty());
    EXPECT_TRUE(mqtt::Decoder::isStatus("hypo_city/city_01/street_01/status", "online"));
    EXPECT_FALSE(mqtt::Decoder::isStatus("hypo_city/city_01/street_01/status", "maybe"));
}

TEST(Decoder, WindSpeedInKilometresPerHourIsToldApartByItsUnit) {
    SampleBatch out;
    decoder().decode("hypo_city/city_01/street_01/air_condition/wind_speed",
                     R"({"value":36,"unit":"km/h","time":"2026-11-24T10:00:00Z"})", out);
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].quantity, Quantity::WindSpeedKmh);
}

TEST(Decoder, AUnitThatIsNotTheQuantitysIsRefused) {
    SampleBatch out;
    EXPECT_THAT(test::errorOf([&] {
                    decoder().decode("hypo_city/city_01/street_01/temperature/celcius",
                                     R"({"value":70,"unit":"degF","time":"2026-11-24T10:00:00Z"})", out);
                }),
                HasSubstr("is not temperature's Cel"));
}

TEST(Decoder, AMessageThatFailsPartWayAppendsNothing) {
    mqtt::Decoder decoding = decoder();
    SampleBatch out;
    decoding.decode("hypo_city/city_01/street_01/temperature/celcius", "2026-11-24 10:00:00\t21.5", out);
    ASSERT_EQ(out.size(), 1u);
    EXPECT_THAT(test::errorOf([&] {
                    decoding.decode("hypo_city/city_01/street_01/temperature/celcius",
                                    R"([{"bn":"hypo_city/city_01/street_01/","n":"temperature/celcius",)"
                                    R"("u":"Cel","v":20,"t":1764000000},)"
                                    R"({"n":"air_condition/humidity","u":"Cel","v":40,"t":1764000000}])",
                                    out);
                }),
                HasSubstr("is not humidity's %RH"));
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].value, 21.5);
}

}  // namespace
}  // namespace citysense
