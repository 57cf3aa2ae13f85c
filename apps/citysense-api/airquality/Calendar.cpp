#include "Calendar.h"

namespace citysense::airquality {

namespace {

struct CivilDate {
    int year;
    unsigned month;  ///< 1-12
    unsigned day;    ///< 1-31
};

Micros floorTo(Micros time, Micros step) {
    const Micros rest = time % step;
    return rest < 0 ? time - rest - step : time - rest;
}

// Howard Hinnant's days_from_civil and civil_from_days (proleptic Gregorian calendar): days since
// 1970-01-01, without tables or loops.
long long daysFromCivil(CivilDate date) {
    const int year = date.year - (date.month <= 2 ? 1 : 0);
    const int era = (year >= 0 ? year : year - 399) / 400;
    const unsigned yearOfEra = static_cast<unsigned>(year - era * 400);
    const unsigned dayOfYear = (153 * (date.month + (date.month > 2 ? -3 : 9)) + 2) / 5 + date.day - 1;
    const unsigned dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
    return static_cast<long long>(era) * 146097 + static_cast<long long>(dayOfEra) - 719468;
}

CivilDate civilFromDays(long long days) {
    days += 719468;
    const long long era = (days >= 0 ? days : days - 146096) / 146097;
    const unsigned dayOfEra = static_cast<unsigned>(days - era * 146097);
    const unsigned yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365;
    const unsigned dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
    const unsigned shiftedMonth = (5 * dayOfYear + 2) / 153;  // March is 0
    const unsigned day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1;
    const unsigned month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9;
    const int year = static_cast<int>(yearOfEra + era * 400) + (month <= 2 ? 1 : 0);
    return {year, month, day};
}

CivilDate dateOf(Micros time) {
    return civilFromDays(floorTo(time, kMicrosPerDay) / kMicrosPerDay);
}

Micros startOf(CivilDate date) {
    return daysFromCivil(date) * kMicrosPerDay;
}

}  // namespace

Micros hourStart(Micros time) {
    return floorTo(time, kMicrosPerHour);
}

Micros dayStart(Micros time) {
    return floorTo(time, kMicrosPerDay);
}

Micros monthStart(Micros time) {
    const CivilDate date = dateOf(time);
    return startOf({date.year, date.month, 1});
}

Micros nextMonthStart(Micros time) {
    const CivilDate date = dateOf(time);
    return date.month == 12 ? startOf({date.year + 1, 1, 1}) : startOf({date.year, date.month + 1, 1});
}

Micros yearStart(int year) {
    return startOf({year, 1, 1});
}

int yearOf(Micros time) {
    return dateOf(time).year;
}

}  // namespace citysense::airquality
