// ISO 8601 date-times as SensorThings filters write them, e.g. 2025-11-24T16:00:00.123Z or
// 2025-11-24T17:00:00+01:00, read into UTC microseconds since the epoch (the store's timestamps).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace citysense::api {

/// YYYY-MM-DDThh:mm[:ss[.f…]] then Z or ±hh:mm: the zone is required (a local time names no instant).
/// Up to nine fraction digits; those beyond microseconds are dropped. Years 0001-9999. Throws
/// QueryError(option, offset + the position in `text`) naming the part that is wrong.
std::int64_t parseDateTime(std::string_view text, const std::string& option, std::size_t offset);

}  // namespace citysense::api
