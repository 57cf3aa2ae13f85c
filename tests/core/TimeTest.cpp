// Time formatting and parsing (core/src/Time.cpp): what formatSeedTime() and formatIsoTime() write
// reads back, and what is no real time is refused.
#include <citysense/Time.h>

#include <gtest/gtest.h>

#include <tuple>

namespace citysense {
namespace {

// 2026-11-24 10:00:00.123456 UTC
constexpr Micros kTime = 1795514400123456;
// 9999-12-31 23:59:59.999999 UTC
constexpr Micros kLastTime = 253402300799999999;

TEST(Time, SeedAndIsoTimesReadBack) {
    for (const Micros time : {Micros{0}, kTime, kTime + 1, Micros{951782400000000}, kLastTime}) {
        EXPECT_EQ(parseSeedTime(formatSeedTime(time)), time) << formatSeedTime(time);
        EXPECT_EQ(parseIsoTime(formatIsoTime(time)), time) << formatIsoTime(time);
    }
}

TEST(Time, DatesAreTheProlepticGregorianCalendarsOnEitherSideOf1970) {
    EXPECT_EQ(formatIsoTime(0), "1970-01-01T00:00:00.000000Z");
    EXPECT_EQ(formatIsoTime(-1), "1969-12-31T23:59:59.999999Z");
    EXPECT_EQ(formatIsoTime(951782400LL * kMicrosPerSecond), "2000-02-29T00:00:00.000000Z");
    EXPECT_EQ(formatSeedTime(4107542399LL * kMicrosPerSecond + 5), "2100-02-28 23:59:59.000005");
    EXPECT_EQ(formatIsoTime(-62135596800LL * kMicrosPerSecond), "0001-01-01T00:00:00.000000Z");
    EXPECT_EQ(formatIsoTime(253402300799999999LL), "9999-12-31T23:59:59.999999Z");
}

TEST(Time, CalendarFieldsAreUtcAndTheMicrosecondsNeverNegative) {
    const CalendarTime leapDay = calendarTime(951825845000001);
    EXPECT_EQ(std::make_tuple(leapDay.year, leapDay.month, leapDay.day, leapDay.hour, leapDay.minute,
                              leapDay.second, leapDay.micros),
              std::make_tuple(std::int64_t{2000}, 2, 29, 12, 4, 5, 1));
    const CalendarTime beforeEpoch = calendarTime(-1);
    EXPECT_EQ(std::make_tuple(beforeEpoch.year, beforeEpoch.month, beforeEpoch.day, beforeEpoch.hour,
                              beforeEpoch.minute, beforeEpoch.second, beforeEpoch.micros),
              std::make_tuple(std::int64_t{1969}, 12, 31, 23, 59, 59, 999999));
}

TEST(Time, CalendarFieldsReadBackToTheSameTime) {
    for (const Micros time : {Micros{951825845000001}, Micros{-1}, Micros{0}, Micros{253402300799999999LL},
                              Micros{-62135596800LL * kMicrosPerSecond}})
        EXPECT_EQ(microsOf(calendarTime(time)), time) << time;
}

TEST(Time, FractionDigitsAreOptional) {
    EXPECT_EQ(parseSeedTime("2026-11-24 10:00:00"), kTime - 123456);
    EXPECT_EQ(parseSeedTime("2026-11-24 10:00:00.1"), kTime - 23456);
    EXPECT_EQ(parseIsoTime("2026-11-24T10:00:00.12345Z"), kTime - 6);
}

TEST(Time, IsoOffsetsAreConvertedToUtc) {
    EXPECT_EQ(parseIsoTime("2026-11-24T11:30:00.123456+01:30"), kTime);
    EXPECT_EQ(parseIsoTime("2026-11-24T08:00:00.123456-02:00"), kTime);
    EXPECT_EQ(parseIsoTime("1970-01-01T00:30:00+01:00"), -1800 * kMicrosPerSecond);
}

TEST(Time, WhatIsNoRealTimeIsRefused) {
    for (const char* text :
         {"", "2026-11-24", "2026-13-01 10:00:00", "2026-02-29 10:00:00", "2026-11-24 24:00:00",
          "2026-11-24 10:60:00", "2026-11-24 10:00:60", "2026-11-24 10:00:00.", "2026-11-24 10:00:00.1234567",
          "2026-11-24T10:00:00", "2026-11-24 10:00:00 ", "2026-1-24 10:00:00", "2026-11-24 10:00:0x"})
        EXPECT_FALSE(parseSeedTime(text)) << text;
    for (const char* text :
         {"2026-11-24T10:00:00", "2026-11-24 10:00:00Z", "2026-11-24T10:00:00z", "2026-11-24T10:00:00+0100",
          "2026-11-24T10:00:00+24:00", "2026-11-24T10:00:00+01:60", "2026-11-24T10:00:00Z "})
        EXPECT_FALSE(parseIsoTime(text)) << text;
}

}  // namespace
}  // namespace citysense
