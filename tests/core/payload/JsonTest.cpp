// The json format (core/payload/Json.cpp, reading with JsonReader).
#include "PayloadTestSupport.h"

#include <citysense/Format.h>
#include <payload/Json.h>

#include <limits>

#include <gtest/gtest.h>

namespace citysense {
namespace {

using namespace payloadtest;
using test::testSample;

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
              "clock_unsynchronised, partial)");
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

}  // namespace
}  // namespace citysense
