// The senml format (core/payload/Senml.cpp, reading with JsonReader).
#include "PayloadTestSupport.h"

#include <payload/Senml.h>

#include <gtest/gtest.h>

namespace citysense {
namespace {

using namespace payloadtest;
using test::testSample;

TEST(Senml, EncodesOneReadingWithBaseNameAndTime) {
    EXPECT_EQ(
        encodeSenml({{topicOf(Quantity::Temperature), testSample(Quantity::Temperature, 28.91, kTime)}}),
        R"([{"bn":"hypo_city/city_01/street_01/temperature/","bt":1795514400.123456,"n":"celcius",)"
        R"("u":"Cel","v":28.91}])");
    EXPECT_EQ(encodeSenml({}), "[]");
}

TEST(Senml, EncodesAPackWithRelativeTimesAndQuality) {
    const std::vector<NamedSample> readings = {
        {topicOf(Quantity::Temperature), testSample(Quantity::Temperature, 28.91, kTime)},
        {topicOf(Quantity::Humidity), testSample(Quantity::Humidity, 55, kTime + 1500000, QualitySimulated)},
        {topicOf(Quantity::Pressure), testSample(Quantity::Pressure, 101325, kTime - 123456)},
    };
    EXPECT_EQ(encodeSenml(readings),
              R"([{"bn":"hypo_city/city_01/street_01/","bt":1795514400.123456,"n":"temperature/celcius",)"
              R"("u":"Cel","v":28.91},)"
              R"({"n":"air_condition/humidity","u":"%RH","v":55,"t":1.5,"quality":["simulated"]},)"
              R"({"n":"air_condition/pressure","u":"Pa","v":101325,"t":-0.123456}])");
}

TEST(Senml, NamesWithoutACommonLevelHaveNoBaseName) {
    EXPECT_EQ(encodeSenml({{"alpha", testSample(Quantity::NO2, 1, kTime)},
                           {"beta/x", testSample(Quantity::SO2, 2, kTime)}}),
              R"([{"bt":1795514400.123456,"n":"alpha","u":"ppb","v":1},{"n":"beta/x","u":"ppb","v":2}])");
}

TEST(Senml, RoundTripsNamesValueBitsTimesUnitsAndQuality) {
    std::vector<NamedSample> readings;
    std::size_t index = 0;
    for (const double value : kValues) {
        for (const Micros time : {kTime, Micros{268435456000000}, kLastTime, kTime + 1, kTime - 999999}) {
            const Quantity quantity = quantities()[index % quantities().size()].quantity;
            const std::uint16_t quality = kQualities[index % std::size(kQualities)];
            readings.push_back({topicOf(quantity), testSample(quantity, value, time, quality)});
            ++index;
        }
    }
    readings.push_back(
        {"stra\xc3\x9f"
         "e/\"quoted\"\\",
         testSample(Quantity::TrafficSpeed, 42, kTime)});
    const std::string pack = encodeSenml(readings);
    const auto decoded = decodePayload("ignored", pack, PayloadFormat::Senml);
    ASSERT_EQ(decoded.size(), readings.size());
    for (std::size_t i = 0; i < readings.size(); ++i) {
        const Sample& sample = readings[i].sample;
        EXPECT_EQ(decoded[i].name, readings[i].name);
        EXPECT_EQ(bitsOf(decoded[i].value), bitsOf(sample.value)) << i;
        EXPECT_EQ(decoded[i].time, sample.time) << i;
        EXPECT_EQ(decoded[i].unit, info(sample.quantity).unit);
        EXPECT_EQ(decoded[i].quality, sample.quality) << i;
    }
}

TEST(Senml, EveryReadingRoundTripsAlone) {
    for (const double value : kValues) {
        for (const Micros time : {kTime, kLastTime, kTime + 1}) {
            const Sample sample =
                testSample(Quantity::WindDirection, value, time, QualityClockUnsynchronised);
            const std::string pack = encodeSenml({{topicOf(Quantity::WindDirection), sample}});
            const DecodedReading reading = decodeOne(pack, PayloadFormat::Senml, "elsewhere");
            EXPECT_EQ(reading.name, topicOf(Quantity::WindDirection));
            EXPECT_EQ(bitsOf(reading.value), bitsOf(value)) << pack;
            EXPECT_EQ(reading.time, time) << pack;
            EXPECT_EQ(reading.quality, QualityClockUnsynchronised);
        }
    }
}

TEST(Senml, BaseFieldsApplyUntilReplaced) {
    const auto readings = decodePayload("topic",
                                        R"([{"bn":"s1/","bt":1795514400,"bu":"Cel","bv":10,"n":"a","v":1.5},)"
                                        R"({"n":"b","u":"%RH","v":-1,"t":60},)"
                                        R"({"bn":"s2/","bt":1795514500.5,"n":"c","v":0},)"
                                        R"({"bn":"","n":"d","v":2,"t":-0.5,"bver":10,"ut":5,"x":{"y":[1]}}])",
                                        PayloadFormat::Senml);
    ASSERT_EQ(readings.size(), 4u);
    EXPECT_EQ(readings[0].name, "s1/a");
    EXPECT_EQ(readings[0].value, 11.5);
    EXPECT_EQ(readings[0].time, 1795514400000000);
    EXPECT_EQ(readings[0].unit, "Cel");
    EXPECT_EQ(readings[1].name, "s1/b");
    EXPECT_EQ(readings[1].value, 9);
    EXPECT_EQ(readings[1].time, 1795514460000000);
    EXPECT_EQ(readings[1].unit, "%RH");
    EXPECT_EQ(readings[2].name, "s2/c");
    EXPECT_EQ(readings[2].time, 1795514500500000);
    EXPECT_EQ(readings[2].unit, "Cel");
    EXPECT_EQ(readings[3].name, "d");
    EXPECT_EQ(readings[3].value, 12);
    EXPECT_EQ(readings[3].time, 1795514500000000);
}

TEST(Senml, TimesAreExactToTheMicrosecondAndRounded) {
    const auto timeOf = [](const std::string& pack) { return decodeOne(pack, PayloadFormat::Senml).time; };
    EXPECT_EQ(timeOf(R"([{"bt":1795514400.123456,"v":1}])"), kTime);
    EXPECT_EQ(timeOf(R"([{"bt":1795514400.1234565,"v":1}])"), kTime + 1);
    EXPECT_EQ(timeOf(R"([{"bt":1795514400.12345649999,"v":1}])"), kTime);
    EXPECT_EQ(timeOf(R"([{"bt":1795514400,"t":0.1234565,"v":1}])"), kTime + 1);
    EXPECT_EQ(timeOf(R"([{"bt":1795514401,"t":-0.8765435,"v":1}])"), kTime);
    EXPECT_EQ(timeOf(R"([{"bt":253402300799.999999,"v":1}])"), kLastTime);
    EXPECT_EQ(timeOf(R"([{"bt":1.7955144E9,"t":1e-6,"v":1}])"), 1795514400000001);
}

TEST(Senml, TimesBelowTwoToThe28AreRelativeToNow) {
    const Micros before = nowMicros();
    const auto readings =
        decodePayload("a/b", R"([{"v":1},{"v":2,"t":-60},{"bt":-10,"v":3,"t":5.5}])", PayloadFormat::Senml);
    const Micros after = nowMicros();
    ASSERT_EQ(readings.size(), 3u);
    EXPECT_GE(readings[0].time, before);
    EXPECT_LE(readings[0].time, after);
    EXPECT_EQ(readings[1].time, readings[0].time - 60 * kMicrosPerSecond);
    EXPECT_EQ(readings[2].time, readings[0].time - 4500000);
    // Without a name, a reading is named by its topic.
    EXPECT_EQ(readings[2].name, "a/b");
    EXPECT_EQ(readings[2].unit, "");
}

TEST(Senml, AnEmptyPackHasNoReadings) {
    EXPECT_TRUE(decodePayload("t", " [ ] ", PayloadFormat::Senml).empty());
    EXPECT_TRUE(decodePayload("t", "[]", PayloadFormat::Auto).empty());
}

TEST(Senml, TypicalMistakesSayWhatIsWrong) {
    const auto error = [](const std::string& payload) { return decodeError(payload, PayloadFormat::Senml); };
    EXPECT_EQ(error(R"([{"n":"a","v":1},{"n":"b"}])"), "senml record 2: no value");
    EXPECT_EQ(error(R"([{"n":"a","vs":"on"}])"),
              "senml record 1: no numeric value ('vs' is not read, only 'v')");
    EXPECT_EQ(error(R"([{"n":"a","vb":true}])"),
              "senml record 1: no numeric value ('vb' is not read, only 'v')");
    EXPECT_EQ(error(R"([{"n":"a","v":"1"}])"), R"(senml record 1: 'v' is a string ("1"), not a number)");
    EXPECT_EQ(error(R"([{"n":5,"v":1}])"), "senml record 1: 'n' is a number (5), not a string");
    EXPECT_EQ(error(R"([{"n":"a","v":1,"v":2}])"), "senml record 1: 'v' appears twice");
    EXPECT_EQ(error(R"([{"n":"a","v":1,"x_":1}])"),
              R"(senml record 1: must-understand field "x_" is not supported)");
    EXPECT_EQ(error(R"([{"v":1},1])"), "senml record 2 is a number (1), not an object");
    EXPECT_EQ(error(R"([{"v":1},[]])"), "senml record 2 is an array, not an object");
    EXPECT_EQ(error(R"({"v":1})"),
              R"(senml: bad JSON at byte 0: expected a pack (an array of records), found "{\"v\":1}")");
    EXPECT_EQ(error(R"([{"v":1},])"), R"(senml: bad JSON at byte 9: expected a value, found "]")");
    EXPECT_EQ(error(R"([{"v":1})"),
              "senml: bad JSON at byte 8: expected ',' or ']', found the end of the payload");
    EXPECT_EQ(error(R"([{"bt":1e13,"v":1}])"), R"(senml record 1: 'bt' "1e13" is out of range)");
    EXPECT_EQ(error(R"([{"bt":400000000000.5,"v":1}])"),
              "senml record 1: time 400000000000.5 s is not between 1970 and 9999");
    EXPECT_EQ(error(R"([{"bv":1e308,"v":1e308}])"), "senml record 1: 'bv' + 'v' is not a finite number");
    EXPECT_EQ(error(R"([{"v":1,"quality":["simulated","nope"]}])"),
              "senml record 1: unknown quality \"nope\" (known: ok, out_of_range, sensor_fault, warming_up, "
              "simulated, clock_unsynchronised, partial)");
}

}  // namespace
}  // namespace citysense
