// Aggregates on hand-computed series: the 75 % rule of an hour (44 of 60 minutes invalid, 45 valid), a
// reading standing at most its hold (the interval, or a publish-on-change sensor's maximum silence),
// readings standing across an hour's edge, 18 valid hours for a day, 90 % for a year, calendar months.
#include "Aggregates.h"
#include "Calendar.h"

#include <gtest/gtest.h>

namespace citysense::airquality {
namespace {

constexpr Micros kMinute = 60 * kMicrosPerSecond;
const SensorTiming kEveryMinute{kMinute, kMinute};

Micros at(const char* iso) {
    return *parseIsoTime(iso);
}

/// `count` readings `spacing` apart from `first`, valued 0, 1, 2, ...
std::vector<Reading> series(Micros first, int count, Micros spacing = kMinute) {
    std::vector<Reading> readings;
    for (int i = 0; i < count; ++i)
        readings.push_back({first + i * spacing, static_cast<double>(i)});
    return readings;
}

Aggregate onlyHour(const std::vector<Reading>& readings, const SensorTiming& timing = kEveryMinute) {
    const Micros hour = at("2025-06-01T10:00:00Z");
    const auto hours = aggregate(readings, hour, hour + kMicrosPerHour, timing, Period::Hour);
    EXPECT_EQ(hours.size(), 1u);
    return hours.at(0);
}

TEST(Aggregates, AnHourWith44Of60MinutesIsInvalidAndOneWith45Valid) {
    const Aggregate short44 = onlyHour(series(at("2025-06-01T10:00:00Z"), 44));
    EXPECT_FALSE(short44.valid);
    EXPECT_EQ(short44.count, 44u);
    EXPECT_DOUBLE_EQ(short44.expected, 60);
    EXPECT_DOUBLE_EQ(short44.coverage, 44.0 / 60);
    EXPECT_DOUBLE_EQ(*short44.mean, 21.5);  // 0..43, a minute each

    const Aggregate enough45 = onlyHour(series(at("2025-06-01T10:00:00Z"), 45));
    EXPECT_TRUE(enough45.valid);
    EXPECT_DOUBLE_EQ(enough45.coverage, 0.75);
    EXPECT_DOUBLE_EQ(*enough45.mean, 22);
    EXPECT_DOUBLE_EQ(*enough45.min, 0);
    EXPECT_DOUBLE_EQ(*enough45.max, 44);
}

TEST(Aggregates, AnHourWithoutReadingsHasNoValues) {
    const Aggregate empty = onlyHour({});
    EXPECT_FALSE(empty.valid);
    EXPECT_FALSE(empty.mean.has_value());
    EXPECT_EQ(empty.count, 0u);
    EXPECT_DOUBLE_EQ(empty.coverage, 0);
}

TEST(Aggregates, AReadingStandsAtMostItsIntervalSoAGapIsMissingData) {
    // Two readings half an hour apart from a sensor that reports every minute: two minutes covered.
    const Aggregate hour = onlyHour({{at("2025-06-01T10:00:00Z"), 1}, {at("2025-06-01T10:30:00Z"), 3}});
    EXPECT_DOUBLE_EQ(hour.coverage, 2.0 / 60);
    EXPECT_DOUBLE_EQ(*hour.mean, 2);
}

TEST(Aggregates, APublishOnChangeSensorIsCoveredUpToItsMaximumSilence) {
    // Changes at :00, :10 and :40; silent for at most 20 minutes: covered 10 + 20 + 20 = 50 minutes.
    const SensorTiming onChange{kMinute, 20 * kMinute};
    const Aggregate hour = onlyHour(
        {{at("2025-06-01T10:00:00Z"), 1}, {at("2025-06-01T10:10:00Z"), 2}, {at("2025-06-01T10:40:00Z"), 3}},
        onChange);
    EXPECT_TRUE(hour.valid);
    EXPECT_DOUBLE_EQ(hour.coverage, 50.0 / 60);
    EXPECT_DOUBLE_EQ(*hour.mean, (1 * 10 + 2 * 20 + 3 * 20) / 50.0);  // weighted by the time each stood
    EXPECT_EQ(hour.count, 3u);
}

TEST(Aggregates, AnUnboundedSilenceCoversFromEachReadingToTheNextAndTheLastForOneInterval) {
    // Changes at 09:20 (before the hour), 10:25 and 10:50, silence unbounded, reporting every minute:
    // 09:20's value stands to 10:25 (25 minutes of the hour), 10:25's to 10:50 (25), 10:50's, the last,
    // for one minute: 51 of 60 minutes covered.
    const SensorTiming unbounded{kMinute, kUnboundedHold};
    const Aggregate hour = onlyHour(
        {{at("2025-06-01T09:20:00Z"), 4}, {at("2025-06-01T10:25:00Z"), 2}, {at("2025-06-01T10:50:00Z"), 8}},
        unbounded);
    EXPECT_TRUE(hour.valid);
    EXPECT_DOUBLE_EQ(hour.coverage, 51.0 / 60);
    EXPECT_DOUBLE_EQ(*hour.mean, (4 * 25 + 2 * 25 + 8 * 1) / 51.0);
    EXPECT_EQ(hour.count, 2u);
    EXPECT_DOUBLE_EQ(hour.expected, 60);
}

TEST(Aggregates, AMaximumSilenceShorterThanTheGapLeavesTheRestMissing) {
    // A reading at 10:00 and the next at 11:00, silent for at most 40 minutes: the sensor should have
    // said something by 10:40, so 40 of 60 minutes are covered and the hour is not valid.
    const SensorTiming quiet40{kMinute, 40 * kMinute};
    const Aggregate hour =
        onlyHour({{at("2025-06-01T10:00:00Z"), 5}, {at("2025-06-01T11:00:00Z"), 6}}, quiet40);
    EXPECT_FALSE(hour.valid);
    EXPECT_DOUBLE_EQ(hour.coverage, 40.0 / 60);
    EXPECT_DOUBLE_EQ(*hour.mean, 5);
}

TEST(Aggregates, AReadingStandsIntoTheNextHourAndOneBeforeTheStartCounts) {
    // Readings at :30 past every minute, the first at 09:59:30 (before the hour asked for).
    const auto readings = series(at("2025-06-01T09:59:30Z"), 61);
    const Micros ten = at("2025-06-01T10:00:00Z");
    const auto hours = aggregate(readings, ten, ten + 2 * kMicrosPerHour, kEveryMinute, Period::Hour);
    ASSERT_EQ(hours.size(), 2u);
    EXPECT_DOUBLE_EQ(hours[0].coverage, 1);  // 09:59:30's reading stands until 10:00:30
    EXPECT_EQ(hours[0].count, 60u);
    EXPECT_DOUBLE_EQ(hours[1].coverage, 0.5 / 60);  // the last, 10:59:30, stands until 11:00:30
    EXPECT_EQ(hours[1].count, 0u);
}

/// A day's hourly series: readings every minute in the first `validHours` hours, valued by hour.
std::vector<Reading> dayWithValidHours(Micros day, int validHours) {
    std::vector<Reading> readings;
    for (int hour = 0; hour < validHours; ++hour)
        for (int minute = 0; minute < 60; ++minute)
            readings.push_back({day + hour * kMicrosPerHour + minute * kMinute, static_cast<double>(hour)});
    return readings;
}

TEST(Aggregates, ADayNeeds18ValidHours) {
    const Micros day = at("2025-06-01T00:00:00Z");
    const auto valid =
        aggregate(dayWithValidHours(day, 18), day, day + kMicrosPerDay, kEveryMinute, Period::Day);
    ASSERT_EQ(valid.size(), 1u);
    EXPECT_TRUE(valid[0].valid);
    EXPECT_DOUBLE_EQ(*valid[0].mean, 8.5);  // the mean of the hourly means 0..17
    EXPECT_DOUBLE_EQ(valid[0].coverage, 18.0 / 24);
    EXPECT_EQ(valid[0].count, 18u * 60);
    EXPECT_DOUBLE_EQ(valid[0].expected, 24.0 * 60);

    const auto invalid =
        aggregate(dayWithValidHours(day, 17), day, day + kMicrosPerDay, kEveryMinute, Period::Day);
    EXPECT_FALSE(invalid.at(0).valid);
}

TEST(Aggregates, PeriodsAreWholeEvenWhenTheRangeStartsInside) {
    const Micros noon = at("2025-06-01T12:00:00Z");
    const auto days = aggregate({}, noon, noon + kMicrosPerDay, kEveryMinute, Period::Day);
    ASSERT_EQ(days.size(), 2u);
    EXPECT_EQ(days[0].start, at("2025-06-01T00:00:00Z"));
    EXPECT_EQ(days[1].end, at("2025-06-03T00:00:00Z"));
}

TEST(Aggregates, MonthsFollowTheCalendar) {
    const auto months =
        aggregate({}, at("2028-01-15T00:00:00Z"), at("2028-03-02T00:00:00Z"), kEveryMinute, Period::Month);
    ASSERT_EQ(months.size(), 3u);
    EXPECT_EQ(months[1].start, at("2028-02-01T00:00:00Z"));
    EXPECT_EQ(months[1].end, at("2028-03-01T00:00:00Z"));
    EXPECT_DOUBLE_EQ(months[1].expected, 29.0 * 24 * 60);  // a leap year's February
}

/// A year of hourly aggregates, the first `validHours` valid at `value`.
std::vector<Aggregate> yearOfHours(int year, std::size_t validHours, double value) {
    std::vector<Aggregate> hours;
    for (Micros start = yearStart(year); start < yearStart(year + 1); start += kMicrosPerHour) {
        Aggregate hour;
        hour.start = start;
        hour.end = start + kMicrosPerHour;
        hour.valid = hours.size() < validHours;
        if (hour.valid)
            hour.mean = hour.min = hour.max = value;
        hours.push_back(hour);
    }
    return hours;
}

TEST(Aggregates, AYearNeeds90PercentOfItsHoursValid) {
    const auto enough = rollUp(yearOfHours(2025, 7884, 12), Period::Year);  // 90 % of 8760
    ASSERT_EQ(enough.size(), 1u);
    EXPECT_TRUE(enough[0].valid);
    EXPECT_DOUBLE_EQ(*enough[0].mean, 12);
    EXPECT_FALSE(rollUp(yearOfHours(2025, 7883, 12), Period::Year).at(0).valid);
}

TEST(Aggregates, ScalingConvertsEveryValue) {
    auto hours = yearOfHours(2025, 1, 10);
    hours.resize(2);
    scaleValues(hours, 1.9125);
    EXPECT_DOUBLE_EQ(*hours[0].mean, 19.125);
    EXPECT_DOUBLE_EQ(*hours[0].max, 19.125);
    EXPECT_FALSE(hours[1].mean.has_value());
}

}  // namespace
}  // namespace citysense::airquality
