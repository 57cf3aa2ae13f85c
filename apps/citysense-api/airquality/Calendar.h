// The periods air quality is reported in, on the UTC calendar: hours, days, months and years as
// [start, end) in Micros. (Directive 2008/50/EC counts in the local standard time of the member state;
// the store and this API count in UTC, and say so.)
#pragma once

#include <citysense/Time.h>

namespace citysense::airquality {

constexpr Micros kMicrosPerHour = 3600 * kMicrosPerSecond;
constexpr Micros kMicrosPerDay = 24 * kMicrosPerHour;

/// The start of the hour, day or month `time` lies in.
Micros hourStart(Micros time);
Micros dayStart(Micros time);
Micros monthStart(Micros time);

/// The start of the month after the one `time` lies in.
Micros nextMonthStart(Micros time);

/// 00:00 UTC on 1 January of `year`.
Micros yearStart(int year);

/// The calendar year `time` lies in.
int yearOf(Micros time);

}  // namespace citysense::airquality
