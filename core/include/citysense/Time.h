// Timestamps: microseconds since the Unix epoch, UTC.
#pragma once

#include <cstdint>
#include <string>

namespace citysense {

using Micros = std::int64_t;

constexpr Micros kMicrosPerSecond = 1000000;

/// The current UTC time from the system clock.
Micros nowMicros();

/// A monotonic clock (unaffected by clock steps), for timeouts and schedules; its zero is arbitrary.
Micros steadyMicros();

/// "YYYY-MM-DD HH:MM:SS.ffffff", the deployed prototype's format (UTC, no zone suffix).
std::string formatSeedTime(Micros time);

/// ISO 8601 with microseconds: "YYYY-MM-DDTHH:MM:SS.ffffffZ".
std::string formatIsoTime(Micros time);

}  // namespace citysense
