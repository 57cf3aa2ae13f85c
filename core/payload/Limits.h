// Bounds on the work one payload can cause, and on the times it may carry: a subscriber reads
// whatever anyone publishes.
#pragma once

#include <citysense/Time.h>

#include <cstddef>
#include <string_view>

namespace citysense::payload {

constexpr std::size_t kMaxPayloadBytes = 256 * 1024;
/// Nesting of JSON arrays and objects, the outermost one counting 1.
constexpr int kMaxDepth = 8;
constexpr std::size_t kMaxRecords = 10000;

constexpr Micros kMinTime = 0;                                    // 1970-01-01T00:00:00Z
constexpr Micros kMaxTime = 253402300800 * kMicrosPerSecond - 1;  // 9999-12-31T23:59:59.999999Z

inline bool inTimeRange(Micros time) {
    return time >= kMinTime && time <= kMaxTime;
}

/// Throws PayloadError naming `format` when `payload` is over kMaxPayloadBytes.
void checkSize(const char* format, std::string_view payload);

}  // namespace citysense::payload
