#include <citysense/Time.h>

#include <chrono>
#include <cstdio>
#include <ctime>

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

std::string format(Micros time, char dateTimeSeparator, const char* suffix) {
    Micros seconds = time / kMicrosPerSecond;
    Micros fraction = time % kMicrosPerSecond;
    if (fraction < 0) {
        fraction += kMicrosPerSecond;
        --seconds;
    }
    const std::time_t clock = static_cast<std::time_t>(seconds);
    std::tm utc{};
    gmtime_r(&clock, &utc);
    char text[48];
    std::snprintf(text, sizeof text, "%04d-%02d-%02d%c%02d:%02d:%02d.%06lld%s", utc.tm_year + 1900,
                  utc.tm_mon + 1, utc.tm_mday, dateTimeSeparator, utc.tm_hour, utc.tm_min, utc.tm_sec,
                  static_cast<long long>(fraction), suffix);
    return text;
}

}  // namespace

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

// The number of `count` digits at `pos`, or -1.
int digitsAt(std::string_view text, std::size_t pos, std::size_t count) {
    if (pos + count > text.size())
        return -1;
    int value = 0;
    for (std::size_t i = pos; i < pos + count; ++i) {
        if (!isDigit(text[i]))
            return -1;
        value = value * 10 + (text[i] - '0');
    }
    return value;
}

// Reads "YYYY-MM-DD<separator>HH:MM:SS[.f]" (0 to 6 fraction digits) at the start of `text` and
// returns how many characters it took, 0 when it is no such date and time.
std::size_t readDateTime(std::string_view text, char separator, Micros& time) {
    if (text.size() < 19 || text[4] != '-' || text[7] != '-' || text[10] != separator || text[13] != ':' ||
        text[16] != ':')
        return 0;
    const int year = digitsAt(text, 0, 4);
    const int month = digitsAt(text, 5, 2);
    const int day = digitsAt(text, 8, 2);
    const int hour = digitsAt(text, 11, 2);
    const int minute = digitsAt(text, 14, 2);
    const int second = digitsAt(text, 17, 2);
    if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour < 0 ||
        hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59)
        return 0;
    std::size_t used = 19;
    Micros fraction = 0;
    if (used < text.size() && text[used] == '.') {
        ++used;
        Micros scale = kMicrosPerSecond;
        while (used < text.size() && isDigit(text[used])) {
            if (scale == 1)
                return 0;  // more than six digits
            scale /= 10;
            fraction += (text[used] - '0') * scale;
            ++used;
        }
        if (used == 20)
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
    const int hours = digitsAt(zone, 1, 2);
    const int minutes = digitsAt(zone, 4, 2);
    if (hours < 0 || hours > 23 || minutes < 0 || minutes > 59)
        return std::nullopt;
    const Micros offset = (hours * 3600 + minutes * 60) * kMicrosPerSecond;
    return zone[0] == '+' ? time - offset : time + offset;
}

}  // namespace citysense
