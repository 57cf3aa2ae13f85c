// The tsv format (core/payload/Tsv.cpp).
#include "PayloadTestSupport.h"

#include <payload/Tsv.h>

#include <gtest/gtest.h>

namespace citysense {
namespace {

using namespace payloadtest;
using test::testSample;

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

}  // namespace
}  // namespace citysense
