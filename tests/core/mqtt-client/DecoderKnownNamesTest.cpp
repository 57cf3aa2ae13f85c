// What mqtt::Decoder remembers of the names it has decoded (core/mqtt-client/Decoder.h): a topic seen
// before decodes exactly as it did the first time, every check whose answer can change is made again
// (units, SenML names of another station, admission of a station refused before), and no more than
// Decoder::kMaxKnownNames names are kept.
#include "PluginHarness.h"

#include <mqtt-client/Decoder.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

namespace citysense {
namespace {

using ::testing::HasSubstr;

constexpr const char* kTsv = "2026-11-24 10:00:00.000000\t21.5";

mqtt::Decoder decoder() {
    return mqtt::Decoder(TopicTemplate(TopicTemplate::kDefault), PayloadFormat::Auto, Station{},
                         "driver.ingest");
}

std::string temperatureOf(const std::string& street) {
    return "hypo_city/city_01/" + street + "/temperature/celcius";
}

// The samples of one message, or its error.
std::string outcome(mqtt::Decoder& decoder, const std::string& topic, const std::string& payload) {
    SampleBatch out;
    const std::string error = test::errorOf([&] { decoder.decode(topic, payload, out); });
    if (error != "(no exception)")
        return error;
    std::string samples;
    for (const Sample& sample : out)
        samples += std::string(info(sample.quantity).name) + " " + std::to_string(sample.value) + " of " +
                   sample.source->station.street + " from " + sample.source->instance + "; ";
    return samples;
}

TEST(DecoderKnownNames, ATopicSeenBeforeDecodesAsItDidTheFirstTime) {
    mqtt::Decoder known = decoder();
    const std::string topic = temperatureOf("street_01");
    const std::string first = outcome(known, topic, kTsv);
    EXPECT_EQ(first, "temperature 21.500000 of street_01 from driver.ingest; ");
    EXPECT_EQ(known.knownNames(), 1u);

    SampleBatch out;
    known.decode(topic, kTsv, out);
    known.decode(topic, kTsv, out);
    ASSERT_EQ(out.size(), 2u);
    EXPECT_EQ(out[0].source, out[1].source);
    EXPECT_EQ(out[0].source, Source::intern(Station{"hypo_city", "city_01", "street_01"}, "driver.ingest"));
    EXPECT_EQ(known.knownNames(), 1u);
}

TEST(DecoderKnownNames, AKnownTopicsPayloadIsCheckedAsBefore) {
    mqtt::Decoder known = decoder();
    const std::string wind = "hypo_city/city_01/street_01/air_condition/wind_speed";
    const std::string temperature = temperatureOf("street_01");
    ASSERT_EQ(outcome(known, wind, R"({"value":5,"unit":"m/s","time":"2026-11-24T10:00:00Z"})"),
              "wind_speed 5.000000 of street_01 from driver.ingest; ");
    ASSERT_EQ(outcome(known, temperature, kTsv), "temperature 21.500000 of street_01 from driver.ingest; ");
    ASSERT_EQ(known.knownNames(), 2u);

    for (const auto& [topic, payload] : std::initializer_list<std::pair<std::string, std::string>>{
             {temperature, R"({"value":70,"unit":"degF","time":"2026-11-24T10:00:00Z"})"},
             {wind, R"({"value":36,"unit":"km/h","time":"2026-11-24T10:00:00Z"})"},
             {wind, R"({"value":36,"unit":"deg","time":"2026-11-24T10:00:00Z"})"},
             {temperature, "21.5"},
         }) {
        mqtt::Decoder fresh = decoder();
        EXPECT_EQ(outcome(known, topic, payload), outcome(fresh, topic, payload)) << payload;
    }
    EXPECT_THAT(outcome(known, temperature, R"({"value":70,"unit":"degF","time":"2026-11-24T10:00:00Z"})"),
                HasSubstr("is not temperature's Cel"));
    EXPECT_EQ(outcome(known, wind, R"({"value":36,"unit":"km/h","time":"2026-11-24T10:00:00Z"})"),
              "wind_speed_kmh 36.000000 of street_01 from driver.ingest; ");
}

TEST(DecoderKnownNames, ASenmlNameKnownFromItsOwnTopicStillNamesAnotherStationOnAnother) {
    mqtt::Decoder known = decoder();
    const std::string street01 = temperatureOf("street_01");
    const std::string street02 = temperatureOf("street_02");
    ASSERT_EQ(outcome(known, street01, kTsv), "temperature 21.500000 of street_01 from driver.ingest; ");
    ASSERT_EQ(outcome(known, street02, kTsv), "temperature 21.500000 of street_02 from driver.ingest; ");
    const std::string pack = R"([{"n":")" + street01 + R"(","u":"Cel","v":20,"t":1764000000}])";
    mqtt::Decoder fresh = decoder();
    EXPECT_EQ(outcome(known, street02, pack), outcome(fresh, street02, pack));
    EXPECT_THAT(outcome(known, street02, pack), HasSubstr("names another station than its topic"));
    EXPECT_EQ(outcome(known, street01, pack), "temperature 20.000000 of street_01 from driver.ingest; ");
}

TEST(DecoderKnownNames, AKnownStationStaysAdmittedAndARefusedOneIsRefusedAgain) {
    mqtt::Decoder limited = decoder();
    limited.limitStations({/*total=*/1, /*perMinute=*/0, /*burst=*/1});
    const std::string admitted = temperatureOf("street_01");
    const std::string refused = temperatureOf("street_02");
    ASSERT_EQ(outcome(limited, admitted, kTsv), "temperature 21.500000 of street_01 from driver.ingest; ");
    const std::string refusal = outcome(limited, refused, kTsv);
    EXPECT_EQ(
        refusal,
        "\"hypo_city/city_01/street_02\" is a new station, beyond the 1 this ingest takes (max_stations)");
    EXPECT_EQ(outcome(limited, refused, kTsv), refusal);
    EXPECT_EQ(outcome(limited, admitted, kTsv), "temperature 21.500000 of street_01 from driver.ingest; ");
    EXPECT_EQ(
        outcome(limited, "hypo_city/city_01/street_01/air_condition/humidity", "2026-11-24 10:00:00\t40"),
        "humidity 40.000000 of street_01 from driver.ingest; ");
    EXPECT_EQ(limited.knownNames(), 2u);
}

TEST(DecoderKnownNames, ARefusedStationIsAdmittedWhenItsTurnComes) {
    mqtt::Decoder limited = decoder();
    limited.limitStations({/*total=*/0, /*perMinute=*/120, /*burst=*/1});  // one new station each 0.5 s
    ASSERT_EQ(outcome(limited, temperatureOf("street_01"), kTsv),
              "temperature 21.500000 of street_01 from driver.ingest; ");
    EXPECT_THAT(outcome(limited, temperatureOf("street_02"), kTsv),
                HasSubstr("beyond the 120 a minute this ingest registers"));
    std::this_thread::sleep_for(std::chrono::milliseconds(600));
    EXPECT_EQ(outcome(limited, temperatureOf("street_02"), kTsv),
              "temperature 21.500000 of street_02 from driver.ingest; ");
}

TEST(DecoderKnownNames, LimitsSetLaterApplyToTopicsSeenBefore) {
    mqtt::Decoder decoding = decoder();
    ASSERT_EQ(outcome(decoding, temperatureOf("street_01"), kTsv),
              "temperature 21.500000 of street_01 from driver.ingest; ");
    decoding.limitStations({/*total=*/1, /*perMinute=*/0, /*burst=*/1});
    EXPECT_EQ(outcome(decoding, temperatureOf("street_02"), kTsv),
              "temperature 21.500000 of street_02 from driver.ingest; ");
    EXPECT_THAT(outcome(decoding, temperatureOf("street_01"), kTsv), HasSubstr("(max_stations)"));
}

TEST(DecoderKnownNames, NoMoreThanTheMostNamesAreKeptAndThoseLeftOutDecodeAlike) {
    mqtt::Decoder known = decoder();
    const std::size_t streets = mqtt::Decoder::kMaxKnownNames + 1000;
    SampleBatch out;
    for (std::size_t i = 0; i < streets; ++i)
        known.decode(temperatureOf("street_" + std::to_string(i)), kTsv, out);
    EXPECT_EQ(known.knownNames(), mqtt::Decoder::kMaxKnownNames);
    for (std::size_t i = 0; i < streets; i += 997)
        EXPECT_EQ(outcome(known, temperatureOf("street_" + std::to_string(i)), kTsv),
                  "temperature 21.500000 of street_" + std::to_string(i) + " from driver.ingest; ");
    EXPECT_EQ(known.knownNames(), mqtt::Decoder::kMaxKnownNames);
    ASSERT_EQ(out.size(), streets);
    EXPECT_EQ(out.back().source->station.street, "street_" + std::to_string(streets - 1));
}

}  // namespace
}  // namespace citysense
