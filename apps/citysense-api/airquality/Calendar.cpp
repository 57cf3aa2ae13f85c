#include "Calendar.h"

namespace citysense::airquality {

namespace {

Micros floorTo(Micros time, Micros step) {
    const Micros rest = time % step;
    return rest < 0 ? time - rest - step : time - rest;
}

/// 00:00 UTC on the first of `month` (1 to 12) of `year`.
Micros monthStartOf(std::int64_t year, int month) {
    CalendarTime start;
    start.year = year;
    start.month = month;
    return microsOf(start);
}

}  // namespace

Micros hourStart(Micros time) {
    return floorTo(time, kMicrosPerHour);
}

Micros dayStart(Micros time) {
    return floorTo(time, kMicrosPerDay);
}

Micros monthStart(Micros time) {
    const CalendarTime date = calendarTime(time);
    return monthStartOf(date.year, date.month);
}

Micros nextMonthStart(Micros time) {
    const CalendarTime date = calendarTime(time);
    return date.month == 12 ? monthStartOf(date.year + 1, 1) : monthStartOf(date.year, date.month + 1);
}

Micros yearStart(int year) {
    return monthStartOf(year, 1);
}

int yearOf(Micros time) {
    return static_cast<int>(calendarTime(time).year);
}

}  // namespace citysense::airquality
