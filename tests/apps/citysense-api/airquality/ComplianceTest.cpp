// Compliance on synthetic years with known exceedances: NO2 hours above 200 (18 allowed), the NO2 annual
// mean against 40, SO2 days above 125 (3 allowed), alert episodes (three consecutive valid hours above
// 400), invalid hours never counted, too little data said as such, and the 2030 set beside the current one.
#include "Calendar.h"
#include "Compliance.h"

#include <gtest/gtest.h>

namespace citysense::airquality {
namespace {

/// The hourly aggregates of 2025 (8760 hours), every hour valid at `value`.
std::vector<Aggregate> year2025(double value) {
    std::vector<Aggregate> hours;
    for (Micros start = yearStart(2025); start < yearStart(2026); start += kMicrosPerHour) {
        Aggregate hour;
        hour.start = start;
        hour.end = start + kMicrosPerHour;
        hour.valid = true;
        hour.mean = hour.min = hour.max = value;
        hours.push_back(hour);
    }
    return hours;
}

/// Sets `count` hours from `first` (an index into the year) to `value`, valid or not.
void setHours(std::vector<Aggregate>& hours, std::size_t first, std::size_t count, double value,
              bool valid = true) {
    for (std::size_t i = first; i < first + count; ++i) {
        hours[i].mean = hours[i].min = hours[i].max = value;
        hours[i].valid = valid;
    }
}

const PollutantLimits& limitsOf(const char* set, Quantity quantity) {
    for (const PollutantLimits& limits : limitSetByName(set)->pollutants)
        if (limits.quantity == quantity)
            return limits;
    throw std::logic_error("no such limits");
}

const LimitResult& resultFor(const ComplianceResult& result, Averaging averaging) {
    for (const LimitResult& limit : result.limits)
        if (limit.limit.averaging == averaging)
            return limit;
    throw std::logic_error("no such limit");
}

TEST(Compliance, No2HoursAbove200CountAgainstTheEighteenAllowed) {
    auto hours = year2025(30);
    setHours(hours, 100, 10, 210);    // ten hours in one run...
    setHours(hours, 2000, 8, 200.5);  // ...and eight more: 18, as many as allowed
    setHours(hours, 3000, 1, 200);    // at the limit is not above it
    const auto met = compliance(limitsOf("2008/50/EC", Quantity::NO2), hours);
    EXPECT_EQ(resultFor(met, Averaging::Hour).exceedances, 18u);
    EXPECT_EQ(resultFor(met, Averaging::Hour).verdict, Verdict::Met);
    EXPECT_EQ(resultFor(met, Averaging::Hour).periods, 8760u);

    setHours(hours, 5000, 1, 250);
    const auto exceeded = compliance(limitsOf("2008/50/EC", Quantity::NO2), hours);
    EXPECT_EQ(resultFor(exceeded, Averaging::Hour).exceedances, 19u);
    EXPECT_EQ(resultFor(exceeded, Averaging::Hour).verdict, Verdict::Exceeded);
}

TEST(Compliance, InvalidHoursAreNeverCounted) {
    auto hours = year2025(30);
    setHours(hours, 100, 30, 500, false);
    const auto result = compliance(limitsOf("2008/50/EC", Quantity::NO2), hours);
    EXPECT_EQ(resultFor(result, Averaging::Hour).exceedances, 0u);
    EXPECT_EQ(resultFor(result, Averaging::Hour).validPeriods, 8730u);
    EXPECT_EQ(result.alertEpisodes, 0u);
}

TEST(Compliance, TheAnnualMeanIsJudgedOnlyWithNinetyPercentOfTheHours) {
    auto hours = year2025(41);
    const auto above = compliance(limitsOf("2008/50/EC", Quantity::NO2), hours);
    EXPECT_EQ(resultFor(above, Averaging::Year).verdict, Verdict::Exceeded);
    EXPECT_DOUBLE_EQ(*resultFor(above, Averaging::Year).mean, 41);

    setHours(hours, 0, 877, 41, false);  // 7883 of 8760 valid: below 90 %
    const auto unsure = compliance(limitsOf("2008/50/EC", Quantity::NO2), hours);
    EXPECT_EQ(resultFor(unsure, Averaging::Year).verdict, Verdict::InsufficientData);
    EXPECT_NEAR(resultFor(unsure, Averaging::Year).dataCapture, 7883.0 / 8760, 1e-12);
    // Below 90 % no hour limit is met either, though none is exceeded.
    EXPECT_EQ(resultFor(unsure, Averaging::Hour).verdict, Verdict::InsufficientData);
}

TEST(Compliance, So2DaysAbove125CountFromValidDays) {
    auto hours = year2025(10);
    setHours(hours, 24 * 10, 24, 130);  // day 10: mean 130, above
    setHours(hours, 24 * 20, 18, 140);  // day 20: 18 valid hours at 140 and 6 invalid: still valid
    setHours(hours, 24 * 20 + 18, 6, 0, false);
    setHours(hours, 24 * 30, 17, 140);  // day 30: 17 hours at 140, 7 invalid: not a valid day
    setHours(hours, 24 * 30 + 17, 7, 0, false);
    setHours(hours, 24 * 40, 12, 250);  // day 40: mean (12 * 250 + 12 * 10) / 24 = 130
    const auto result = compliance(limitsOf("2008/50/EC", Quantity::SO2), hours);
    const LimitResult& days = resultFor(result, Averaging::Day);
    EXPECT_EQ(days.periods, 365u);
    EXPECT_EQ(days.validPeriods, 364u);
    EXPECT_EQ(days.exceedances, 3u);
    EXPECT_EQ(days.verdict, Verdict::Met);  // three allowed
}

TEST(Compliance, AlertEpisodesAreThreeConsecutiveValidHoursAbove400) {
    auto hours = year2025(30);
    setHours(hours, 10, 3, 410);   // one episode
    setHours(hours, 100, 7, 450);  // a longer run is still one
    setHours(hours, 200, 2, 450);  // two hours, a valid one below, two more: none
    setHours(hours, 203, 2, 450);
    setHours(hours, 300, 2, 450);  // broken by an invalid hour: none
    setHours(hours, 302, 1, 450, false);
    setHours(hours, 303, 1, 450);
    const auto result = compliance(limitsOf("2008/50/EC", Quantity::NO2), hours);
    EXPECT_EQ(result.alertThreshold, 400);
    EXPECT_EQ(result.alertEpisodes, 2u);
}

TEST(Compliance, The2030LimitsAreASecondSet) {
    auto hours = year2025(25);
    setHours(hours, 24 * 5, 24, 60);  // a day above 50
    setHours(hours, 500, 4, 210);     // four hours above 200: more than the three allowed
    const auto result = compliance(limitsOf("2024/2881", Quantity::NO2), hours);
    EXPECT_EQ(resultFor(result, Averaging::Hour).verdict, Verdict::Exceeded);
    // Day 5, and day 20, whose four hours lift its mean to (4 * 210 + 20 * 25) / 24 = 55.8.
    EXPECT_EQ(resultFor(result, Averaging::Day).exceedances, 2u);
    EXPECT_EQ(resultFor(result, Averaging::Day).verdict, Verdict::Met);
    EXPECT_EQ(resultFor(result, Averaging::Year).verdict, Verdict::Exceeded);  // above 20
    EXPECT_EQ(limitSetByName("2099/1"), nullptr);
    EXPECT_EQ(limitSets().front().name, "2008/50/EC");
}

}  // namespace
}  // namespace citysense::airquality
