#include <citysense/Time.h>

#include <chrono>
#include <cstdio>

namespace citysense {

Micros nowMicros() {
    using namespace std::chrono;
    return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

Micros steadyMicros() {
    using namespace std::chrono;
    return duration_cast<microseconds>(steady_clock::now().time_since_epoch()).count();
}

namespace {

/// Howard Hinnant's civil_from_days: the proleptic Gregorian date `days` after 1970-01-01.
void civilFromDays(std::int64_t days, std::int64_t& year, int& month, int& day) {
    days += 719468;
    const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    const std::int64_t dayOfEra = days - era * 146097;
    const std::int64_t yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365;
    const std::int64_t dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
    const std::int64_t shiftedMonth = (5 * dayOfYear + 2) / 153;  // March = 0
    day = static_cast<int>(dayOfYear - (153 * shiftedMonth + 2) / 5 + 1);
    month = static_cast<int>(shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9);
    year = yearOfEra + era * 400 + (month <= 2);
}

/// `value` (0 <= value < 10^width) as `width` digits at `out`; the end of them.
char* digits(char* out, std::int64_t value, int width) {
    for (int at = width - 1; at >= 0; --at) {
        out[at] = static_cast<char>('0' + value % 10);
        value /= 10;
    }
    return out + width;
}

// Digits by hand, not snprintf() and gmtime_r() (which takes the time zone lock): an API page of a
// thousand readings formats two thousand times.
std::string format(Micros time, char dateTimeSeparator, const char* suffix) {
    const CalendarTime calendar = calendarTime(time);
    char text[64];
    char* end = text;
    if (calendar.year >= 0 && calendar.year <= 9999) {
        end = digits(end, calendar.year, 4);
    } else {
        end += std::snprintf(text, 24, "%04lld", static_cast<long long>(calendar.year));
    }
    *end++ = '-';
    end = digits(end, calendar.month, 2);
    *end++ = '-';
    end = digits(end, calendar.day, 2);
    *end++ = dateTimeSeparator;
    end = digits(end, calendar.hour, 2);
    *end++ = ':';
    end = digits(end, calendar.minute, 2);
    *end++ = ':';
    end = digits(end, calendar.second, 2);
    *end++ = '.';
    end = digits(end, calendar.micros, 6);
    return std::string(text, end) + suffix;
}

}  // namespace

CalendarTime calendarTime(Micros time) {
    Micros seconds = time / kMicrosPerSecond;
    Micros fraction = time % kMicrosPerSecond;
    if (fraction < 0) {
        fraction += kMicrosPerSecond;
        --seconds;
    }
    std::int64_t days = seconds / 86400;
    std::int64_t secondOfDay = seconds % 86400;
    if (secondOfDay < 0) {
        secondOfDay += 86400;
        --days;
    }
    CalendarTime calendar;
    civilFromDays(days, calendar.year, calendar.month, calendar.day);
    calendar.hour = static_cast<int>(secondOfDay / 3600);
    calendar.minute = static_cast<int>(secondOfDay / 60 % 60);
    calendar.second = static_cast<int>(secondOfDay % 60);
    calendar.micros = static_cast<int>(fraction);
    return calendar;
}

std::string formatSeedTime(Micros time) {
    return format(time, ' ', "");
}

std::string formatIsoTime(Micros time) {
    return format(time, 'T', "Z");
}

namespace {

bool isLeapYear(int year) {
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int daysInMonth(int year, int month) {
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return month == 2 && isLeapYear(year) ? 29 : days[month - 1];
}

// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's days_from_civil).
std::int64_t daysFromCivil(int year, int month, int day) {
    year -= month <= 2;
    const int era = (year >= 0 ? year : year - 399) / 400;
    const int yearOfEra = year - era * 400;
    const int dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    const int dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
    return std::int64_t{era} * 146097 + dayOfEra - 719468;
}

bool isDigit(char c) {
    return c >= '0' && c <= '9';
}

// The number that the `count` characters at `text` write in digits, or -1 when one is no digit.
int digitsAt(const char* text, int count) {
    int value = 0;
    for (int i = 0; i < count; ++i) {
        const unsigned digit = static_cast<unsigned char>(text[i]) - unsigned{'0'};
        if (digit > 9)
            return -1;
        value = value * 10 + static_cast<int>(digit);
    }
    return value;
}

// Reads "YYYY-MM-DD<separator>HH:MM:SS[.f]" (0 to 6 fraction digits) at the start of `text` and
// returns how many characters it took, 0 when it is no such date and time.
std::size_t readDateTime(std::string_view text, char separator, Micros& time) {
    if (text.size() < 19 || text[4] != '-' || text[7] != '-' || text[10] != separator || text[13] != ':' ||
        text[16] != ':')
        return 0;
    const char* const start = text.data();
    const int year = digitsAt(start, 4);
    const int month = digitsAt(start + 5, 2);
    const int day = digitsAt(start + 8, 2);
    const int hour = digitsAt(start + 11, 2);
    const int minute = digitsAt(start + 14, 2);
    const int second = digitsAt(start + 17, 2);
    if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour < 0 ||
        hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59)
        return 0;
    std::size_t used = 19;
    Micros fraction = 0;
    if (used < text.size() && text[used] == '.') {
        const std::size_t first = ++used;
        while (used < text.size() && isDigit(text[used])) {
            if (used - first == 6)
                return 0;  // more than six digits
            fraction = fraction * 10 + (text[used] - '0');
            ++used;
        }
        static const Micros scale[] = {0, 100000, 10000, 1000, 100, 10, 1};
        fraction *= scale[used - first];
        if (used == first)
            return 0;
    }
    const std::int64_t seconds = daysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second;
    time = seconds * kMicrosPerSecond + fraction;
    return used;
}

}  // namespace

std::optional<Micros> parseSeedTime(std::string_view text) {
    Micros time = 0;
    if (text.empty() || readDateTime(text, ' ', time) != text.size())
        return std::nullopt;
    return time;
}

std::optional<Micros> parseIsoTime(std::string_view text) {
    Micros time = 0;
    const std::size_t used = readDateTime(text, 'T', time);
    if (used == 0)
        return std::nullopt;
    const std::string_view zone = text.substr(used);
    if (zone == "Z")
        return time;
    if (zone.size() != 6 || (zone[0] != '+' && zone[0] != '-') || zone[3] != ':')
        return std::nullopt;
    const int hours = digitsAt(zone.data() + 1, 2);
    const int minutes = digitsAt(zone.data() + 4, 2);
    if (hours < 0 || hours > 23 || minutes < 0 || minutes > 59)
        return std::nullopt;
    const Micros offset = (hours * 3600 + minutes * 60) * kMicrosPerSecond;
    return zone[0] == '+' ? time - offset : time + offset;
}

Micros microsOf(const CalendarTime& calendar) {
    const std::int64_t days = daysFromCivil(static_cast<int>(calendar.year), calendar.month, calendar.day);
    const std::int64_t seconds = days * 86400 + calendar.hour * 3600 + calendar.minute * 60 + calendar.second;
    return seconds * kMicrosPerSecond + calendar.micros;
}

}  // namespace citysense
