// Timestamps: microseconds since the Unix epoch, UTC.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace citysense {

using Micros = std::int64_t;

constexpr Micros kMicrosPerSecond = 1000000;

/// The current UTC time from the system clock.
Micros nowMicros();

/// A monotonic clock (unaffected by clock steps), for timeouts and schedules; its zero is arbitrary.
Micros steadyMicros();

/// A time's calendar fields in UTC (the proleptic Gregorian calendar, whatever the year).
struct CalendarTime {
    std::int64_t year = 1970;
    int month = 1;  ///< 1 to 12
    int day = 1;    ///< 1 to 31
    int hour = 0;
    int minute = 0;
    int second = 0;
    int micros = 0;  ///< 0 to 999999
};

/// The calendar fields of `time`, without the C library's time zone lock. Since ABI 1.4.
CalendarTime calendarTime(Micros time);
/// The time of `calendar`'s fields (calendarTime()'s inverse; the fields in range). Since ABI 1.4.
Micros microsOf(const CalendarTime& calendar);

/// "YYYY-MM-DD HH:MM:SS.ffffff", the deployed prototype's format (UTC, no zone suffix).
std::string formatSeedTime(Micros time);

/// ISO 8601 with microseconds: "YYYY-MM-DDTHH:MM:SS.ffffffZ".
std::string formatIsoTime(Micros time);

/// Reads formatSeedTime()'s "YYYY-MM-DD HH:MM:SS.ffffff" (UTC) with 0 to 6 fraction digits; nothing
/// may come before or after it. Empty when the text is no such time or names no real date.
std::optional<Micros> parseSeedTime(std::string_view text);

/// Reads ISO 8601 / RFC 3339 "YYYY-MM-DDTHH:MM:SS.ffffffZ" with 0 to 6 fraction digits and `Z` or an
/// offset such as "+01:00", which is converted to UTC. Empty when the text is no such time.
std::optional<Micros> parseIsoTime(std::string_view text);

}  // namespace citysense
