// The UTC calendar of the reporting periods: hours, days, months (leap years included) and years, also
// before 1970.
#include "Calendar.h"

#include <gtest/gtest.h>

namespace citysense::airquality {
namespace {

Micros at(const char* iso) {
    return *parseIsoTime(iso);
}

TEST(Calendar, PeriodsStartOnTheUtcCalendar) {
    const Micros time = at("2024-02-29T13:45:10.5Z");
    EXPECT_EQ(hourStart(time), at("2024-02-29T13:00:00Z"));
    EXPECT_EQ(dayStart(time), at("2024-02-29T00:00:00Z"));
    EXPECT_EQ(monthStart(time), at("2024-02-01T00:00:00Z"));
    EXPECT_EQ(nextMonthStart(time), at("2024-03-01T00:00:00Z"));
    EXPECT_EQ(yearStart(2024), at("2024-01-01T00:00:00Z"));
    EXPECT_EQ(yearOf(time), 2024);
}

TEST(Calendar, DecemberIsFollowedByJanuaryOfTheNextYear) {
    EXPECT_EQ(nextMonthStart(at("2025-12-31T23:59:59Z")), at("2026-01-01T00:00:00Z"));
    EXPECT_EQ(yearOf(at("2025-12-31T23:59:59.999999Z")), 2025);
    EXPECT_EQ(yearOf(at("2026-01-01T00:00:00Z")), 2026);
}

TEST(Calendar, TimesBefore1970RoundDownToo) {
    EXPECT_EQ(hourStart(-1), -kMicrosPerHour);
    EXPECT_EQ(dayStart(-1), -kMicrosPerDay);
    EXPECT_EQ(monthStart(-1), at("1969-12-01T00:00:00Z"));
    EXPECT_EQ(yearStart(1969), at("1969-01-01T00:00:00Z"));
}

}  // namespace
}  // namespace citysense::airquality
