#include "PluginHarness.h"

#include <citysense/Format.h>
#include <citysense/Payload.h>
#include <citysense/TopicTemplate.h>

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>

namespace citysense {
namespace {

using test::errorOf;
using test::testSample;

// 2026-11-24 10:00:00.123456 UTC
constexpr Micros kTime = 1795514400123456;
// 9999-12-31 23:59:59.999999 UTC, the last time a payload may carry
constexpr Micros kLastTime = 253402300799999999;
constexpr const char* kTopic = "hypo_city/city_01/street_01/temperature/celcius";

std::uint64_t bitsOf(double value) {
    std::uint64_t bits = 0;
    std::memcpy(&bits, &value, sizeof bits);
    return bits;
}

DecodedReading decodeOne(std::string_view payload, PayloadFormat format, std::string_view topic = kTopic) {
    const auto readings = decodePayload(topic, payload, format);
    EXPECT_EQ(readings.size(), 1u) << payload;
    return readings.empty() ? DecodedReading{} : readings.front();
}

std::string decodeError(std::string_view payload, PayloadFormat format) {
    return errorOf([&] { decodePayload(kTopic, payload, format); });
}

std::string topicOf(Quantity quantity) {
    return TopicTemplate(TopicTemplate::kDefault).render(test::testStation(), quantity);
}

const double kValues[] = {
    28.91,
    1e-05,
    -17.25,
    0.1 + 0.2,
    -0.0,
    0.0,
    1.7976931348623157e308,
    -4.9406564584124654e-324,
    123456789012345678.0,
    101325,
    -1e-300,
};
const std::uint16_t kQualities[] = {
    QualityOk,
    QualitySimulated,
    QualityOutOfRange | QualitySensorFault,
    QualityWarmingUp | QualityClockUnsynchronised | QualitySimulated,
};

TEST(PayloadFormat, NamesRoundTripAndUnknownNamesAreListed) {
    for (const auto format :
         {PayloadFormat::Tsv, PayloadFormat::Json, PayloadFormat::Senml, PayloadFormat::Auto})
        EXPECT_EQ(payloadFormatByName(payloadFormatName(format)), format);
    EXPECT_EQ(errorOf([] { payloadFormatByName("xml"); }),
              "'xml' is not a payload format (tsv, json, senml, auto)");
}

TEST(Tsv, EncodesThePrototypesPayload) {
    EXPECT_EQ(encodeTsv(testSample(Quantity::Temperature, 28.91, kTime)),
              "2026-11-24 10:00:00.123456\t28.91");
    EXPECT_EQ(encodeTsv(testSample(Quantity::NO2, 1e-05, 0)), "1970-01-01 00:00:00.000000\t1e-05");
}

TEST(Tsv, DecodesThePrototypesPayload) {
    const DecodedReading reading = decodeOne("2026-11-24 10:00:00.123456\t28.91", PayloadFormat::Tsv);
    EXPECT_EQ(reading.name, kTopic);
    EXPECT_EQ(reading.value, 28.91);
    EXPECT_EQ(reading.time, kTime);
    EXPECT_EQ(reading.unit, "");
    EXPECT_EQ(reading.quality, QualityOk);
}

TEST(Tsv, AcceptsFewerFractionDigitsAndSurroundingWhitespace) {
    EXPECT_EQ(decodeOne("2026-11-24 10:00:00\t28.91\n", PayloadFormat::Tsv).time, kTime - 123456);
    EXPECT_EQ(decodeOne("2026-11-24 10:00:00.1\t-3\r\n", PayloadFormat::Tsv).time, kTime - 23456);
    EXPECT_EQ(decodeOne(" 2026-11-24 10:00:00.12345\t2.5e3 \t", PayloadFormat::Tsv).value, 2500);
    EXPECT_EQ(decodeOne("2024-02-29 23:59:59.999999\t0", PayloadFormat::Tsv).time, 1709251199999999);
    EXPECT_EQ(decodeOne("9999-12-31 23:59:59.999999\t0", PayloadFormat::Tsv).time, kLastTime);
}

TEST(Tsv, TypicalMistakesSayWhatIsWrong) {
    EXPECT_EQ(decodeError("", PayloadFormat::Tsv), "tsv: empty payload");
    EXPECT_EQ(decodeError("28.91", PayloadFormat::Tsv), "tsv: no tab between time and value in \"28.91\"");
    EXPECT_EQ(decodeError("2026-11-24 10:00:00.123456 28.91", PayloadFormat::Tsv),
              "tsv: no tab between time and value in \"2026-11-24 10:00:00.123456 28.91\"");
    EXPECT_EQ(decodeError("2026-13-01 10:00:00.000000\t1", PayloadFormat::Tsv),
              "tsv: bad timestamp \"2026-13-01 10:00:00.000000\" (expected YYYY-MM-DD HH:MM:SS.ffffff, UTC)");
    EXPECT_EQ(decodeError("2026-02-29 10:00:00\t1", PayloadFormat::Tsv),
              "tsv: bad timestamp \"2026-02-29 10:00:00\" (expected YYYY-MM-DD HH:MM:SS.ffffff, UTC)");
    EXPECT_EQ(decodeError("2026-11-24T10:00:00Z\t1", PayloadFormat::Tsv),
              "tsv: bad timestamp \"2026-11-24T10:00:00Z\" (expected YYYY-MM-DD HH:MM:SS.ffffff, UTC)");
    EXPECT_EQ(
        decodeError("2026-11-24 10:00:00.1234567\t1", PayloadFormat::Tsv),
        "tsv: bad timestamp \"2026-11-24 10:00:00.1234567\" (expected YYYY-MM-DD HH:MM:SS.ffffff, UTC)");
    EXPECT_EQ(decodeError("1969-12-31 23:59:59\t1", PayloadFormat::Tsv),
              "tsv: timestamp \"1969-12-31 23:59:59\" is before 1970");
    EXPECT_EQ(decodeError("2026-11-24 10:00:00.123456\tabc", PayloadFormat::Tsv),
              "tsv: bad value \"abc\" (expected a number such as 28.91 or -1.5e-05)");
    EXPECT_EQ(decodeError("2026-11-24 10:00:00.123456\tnan", PayloadFormat::Tsv),
              "tsv: bad value \"nan\" (expected a number such as 28.91 or -1.5e-05)");
    EXPECT_EQ(decodeError("2026-11-24 10:00:00.123456\t28,91", PayloadFormat::Tsv),
              "tsv: bad value \"28,91\" (expected a number such as 28.91 or -1.5e-05)");
    EXPECT_EQ(decodeError("2026-11-24 10:00:00.123456\t1e400", PayloadFormat::Tsv),
              "tsv: value \"1e400\" is out of range");
    EXPECT_EQ(decodeError("2026-11-24 10:00:00.123456\t1\n2026-11-24 10:00:01.000000\t2", PayloadFormat::Tsv),
              "tsv: bad value \"1\\n2026-11-24 10:00:01.000000\\t2\" (expected a number such as 28.91 or "
              "-1.5e-05)");
}

TEST(Json, EncodesValueUnitTimeAndQuality) {
    EXPECT_EQ(encodeJson(testSample(Quantity::Temperature, 28.91, kTime)),
              R"({"value":28.91,"unit":"Cel","time":"2026-11-24T10:00:00.123456Z","quality":["ok"]})");
    EXPECT_EQ(encodeJson(testSample(Quantity::Humidity, 1e-05, kTime, QualityOutOfRange | QualitySimulated)),
              R"({"value":1e-05,"unit":"%RH","time":"2026-11-24T10:00:00.123456Z",)"
              R"("quality":["out_of_range","simulated"]})");
}

TEST(Json, NonFiniteValuesAreWrittenAsNullAndRefused) {
    const std::string payload = encodeJson(
        testSample(Quantity::SO2, std::numeric_limits<double>::quiet_NaN(), kTime, QualitySensorFault));
    EXPECT_EQ(
        payload,
        R"({"value":null,"unit":"ppb","time":"2026-11-24T10:00:00.123456Z","quality":["sensor_fault"]})");
    EXPECT_EQ(decodeError(payload, PayloadFormat::Json), "json: 'value' is null, not a number");
}

TEST(Json, AcceptsOtherPublishersSpellings) {
    DecodedReading reading = decodeOne(
        " {\n \"quality\" : [ ] , \"time\":\"2026-11-24T10:00:00+00:00\", \"value\" : -2.5E+1, \"extra\": "
        "{\"nested\": [1, true, null, \"\\u00e9\\ud83d\\ude00\"]}}\n",
        PayloadFormat::Json);
    EXPECT_EQ(reading.value, -25);
    EXPECT_EQ(reading.time, kTime - 123456);
    EXPECT_EQ(reading.unit, "");
    EXPECT_EQ(reading.quality, QualityOk);

    EXPECT_EQ(decodeOne(R"({"value":1,"time":"2026-11-24T10:00:00.1Z"})", PayloadFormat::Json).time,
              kTime - 23456);
    EXPECT_EQ(decodeOne(R"({"value":1,"time":"2026-11-24T11:30:00.123456+01:30"})", PayloadFormat::Json).time,
              kTime);
    EXPECT_EQ(decodeOne(R"({"value":1,"time":"2026-11-24T08:00:00.123456-02:00"})", PayloadFormat::Json).time,
              kTime);
    EXPECT_EQ(decodeOne(R"({"value":12,"time":"2026-11-24T10:00:00Z","quality":["ok","simulated"]})",
                        PayloadFormat::Json)
                  .quality,
              QualitySimulated);
}

TEST(Json, ReadsTheConsoleSinksJsonLines) {
    const Sample sample = testSample(Quantity::WindSpeed, 0.1 + 0.2, kTime, QualityWarmingUp);
    const DecodedReading reading = decodeOne(formatJsonLine(sample), PayloadFormat::Json);
    EXPECT_EQ(reading.value, sample.value);
    EXPECT_EQ(reading.time, kTime);
    EXPECT_EQ(reading.unit, "m/s");
    EXPECT_EQ(reading.quality, QualityWarmingUp);
}

TEST(Json, TypicalMistakesSayWhatIsWrong) {
    const auto error = [](const std::string& payload) { return decodeError(payload, PayloadFormat::Json); };
    const std::string time = R"("time":"2026-11-24T10:00:00Z")";
    EXPECT_EQ(error(R"({"value":"12",)" + time + "}"), R"(json: 'value' is a string ("12"), not a number)");
    EXPECT_EQ(error(R"({"value":true,)" + time + "}"), "json: 'value' is true, not a number");
    EXPECT_EQ(error(R"({"value":[12],)" + time + "}"), "json: 'value' is an array, not a number");
    EXPECT_EQ(error(R"({"value":NaN})"), R"(json: bad JSON at byte 9: expected a value, found "NaN}")");
    EXPECT_EQ(error(R"({"value":Infinity})"),
              R"(json: bad JSON at byte 9: expected a value, found "Infinity}")");
    EXPECT_EQ(error(R"({"value":1e400,)" + time + "}"), R"(json: 'value' "1e400" is out of range)");
    EXPECT_EQ(error(R"({"value":012,)" + time + "}"),
              R"(json: bad JSON at byte 10: expected ',' or '}', found "12,\"time\":\"2026-11-2...")");
    EXPECT_EQ(error(R"({"unit":"Cel",)" + time + "}"), "json: no 'value'");
    EXPECT_EQ(error(R"({"value":1})"), "json: no 'time'");
    EXPECT_EQ(error(R"({"value":1,"value":2,)" + time + "}"), "json: 'value' appears twice");
    EXPECT_EQ(error(R"({"value":1,"time":1795514400})"),
              "json: 'time' is a number (1795514400), not a string");
    EXPECT_EQ(
        error(R"({"value":1,"time":"2026-11-24 10:00:00"})"),
        R"(json: bad 'time' "2026-11-24 10:00:00" (expected ISO 8601 such as 2026-11-24T10:00:00.123456Z))");
    EXPECT_EQ(
        error(R"({"value":1,"time":"2026-11-24T10:00:00"})"),
        R"(json: bad 'time' "2026-11-24T10:00:00" (expected ISO 8601 such as 2026-11-24T10:00:00.123456Z))");
    EXPECT_EQ(error(R"({"value":1,"time":"1970-01-01T00:30:00+01:00"})"),
              R"(json: 'time' "1970-01-01T00:30:00+01:00" is not between 1970 and 9999)");
    EXPECT_EQ(error(R"({"value":1,"unit":5,)" + time + "}"), "json: 'unit' is a number (5), not a string");
    EXPECT_EQ(error(R"({"value":1,"quality":"ok",)" + time + "}"),
              R"(json: 'quality' is a string ("ok"), not an array of names)");
    EXPECT_EQ(error(R"({"value":1,"quality":["fine"],)" + time + "}"),
              "json: unknown quality \"fine\" (known: ok, out_of_range, sensor_fault, warming_up, simulated, "
              "clock_unsynchronised)");
    EXPECT_EQ(error(R"({"value":1,)" + time),
              "json: bad JSON at byte 40: expected ',' or '}', found the end of "
              "the payload");
    EXPECT_EQ(error(R"({"value":1,})"), R"(json: bad JSON at byte 11: expected a member name, found "}")");
    EXPECT_EQ(error(R"({'value':1})"),
              R"(json: bad JSON at byte 1: expected a member name, found "'value':1}")");
    EXPECT_EQ(error(R"({"value":1,)" + time + "} x"), R"(json: bad JSON at byte 42: expected the end of the )"
                                                      R"(payload, found "x")");
    EXPECT_EQ(error(R"([{"value":1}])"),
              R"(json: bad JSON at byte 0: expected an object, found "[{\"value\":1}]")");
    EXPECT_EQ(error("{\"value\":1,\"unit\":\"C\xe9l\"," + time + "}"),
              R"(json: bad JSON at byte 20: expected UTF-8 text, found "\xe9l\",\"time\":\"2026-11-...")");
    EXPECT_EQ(error("{\"value\":1,\"unit\":\"a\nb\"}"),
              "json: bad JSON at byte 20: expected a string character (control characters must be escaped), "
              "found \"\\nb\\\"}\"");
    EXPECT_EQ(error(R"({"value":1,"unit":"\ud800"})"),
              R"(json: bad JSON at byte 25: expected the second half of a surrogate pair, found "\"}")");
}

TEST(Json, RoundTripsValueBitsTimeUnitAndQuality) {
    for (const double value : kValues) {
        for (const Micros time : {kTime, Micros{0}, kLastTime, kTime + 1}) {
            for (const std::uint16_t quality : kQualities) {
                const Sample sample = testSample(Quantity::Pressure, value, time, quality);
                const std::string payload = encodeJson(sample);
                const DecodedReading reading = decodeOne(payload, PayloadFormat::Json);
                EXPECT_EQ(bitsOf(reading.value), bitsOf(value)) << payload;
                EXPECT_EQ(reading.time, time) << payload;
                EXPECT_EQ(reading.unit, "Pa");
                EXPECT_EQ(reading.quality, quality) << payload;
                EXPECT_EQ(reading.name, kTopic);
            }
        }
    }
}

TEST(Tsv, RoundTripsValueBitsAndTime) {
    for (const double value : kValues) {
        for (const Micros time : {kTime, Micros{0}, kLastTime, kTime + 1}) {
            const std::string payload = encodeTsv(testSample(Quantity::Temperature, value, time));
            const DecodedReading reading = decodeOne(payload, PayloadFormat::Tsv);
            EXPECT_EQ(bitsOf(reading.value), bitsOf(value)) << payload;
            EXPECT_EQ(reading.time, time) << payload;
        }
    }
}

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
              "simulated, clock_unsynchronised)");
}

TEST(Payload, AutoTellsTheFormatsApart) {
    EXPECT_EQ(decodeOne("2026-11-24 10:00:00.123456\t28.91", PayloadFormat::Auto).time, kTime);
    EXPECT_EQ(decodeOne(R"( {"value":2,"time":"2026-11-24T10:00:00.123456Z"})", PayloadFormat::Auto).value,
              2);
    EXPECT_EQ(decodeOne("\n [{\"v\":3,\"bt\":1795514400.123456}]", PayloadFormat::Auto).value, 3);
    EXPECT_EQ(decodeError("hello", PayloadFormat::Auto), "tsv: no tab between time and value in \"hello\"");
    EXPECT_EQ(decodeError("{", PayloadFormat::Auto),
              "json: bad JSON at byte 1: expected a member name, found the end of the payload");
}

TEST(Payload, WorkIsBounded) {
    const std::string big(256 * 1024 + 1, ' ');
    EXPECT_EQ(decodeError(big, PayloadFormat::Tsv),
              "tsv: payload of 262145 bytes is over the limit of 262144");
    EXPECT_EQ(decodeError("[" + big, PayloadFormat::Auto),
              "senml: payload of 262146 bytes is over the limit of "
              "262144");

    const std::string time = R"("time":"2026-11-24T10:00:00Z")";
    EXPECT_EQ(decodeOne(R"({"value":1,)" + time + R"(,"x":[[[[[[[1]]]]]]]})", PayloadFormat::Json).value, 1);
    EXPECT_EQ(decodeError(R"({"value":1,)" + time + R"(,"x":[[[[[[[[1]]]]]]]]})", PayloadFormat::Json),
              "json: nested deeper than 8 levels at byte 52");
    EXPECT_EQ(decodeError(std::string(100000, '[') + std::string(100000, ']'), PayloadFormat::Senml),
              "senml record 1 is an array, not an object");

    std::string pack = "[";
    for (int i = 0; i < 9999; ++i)
        pack += R"({"v":1},)";
    EXPECT_EQ(decodePayload("t", pack + R"({"v":2}])", PayloadFormat::Senml).size(), 10000u);
    EXPECT_EQ(decodeError(pack + R"({"v":1},{"v":2}])", PayloadFormat::Senml),
              "senml: more than 10000 records");
}

}  // namespace
}  // namespace citysense
