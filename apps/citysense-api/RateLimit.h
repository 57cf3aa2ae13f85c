// A rate limit as configured and stored with a key: one or more windows, "60/min, 2000/h", each a
// number of requests per period, all of which apply at once.
#pragma once

#include <citysense/Time.h>

#include <cstdint>
#include <string>
#include <vector>

namespace citysense::api {

struct RateWindow {
    std::int64_t requests = 0;
    Micros period = 0;

    bool operator==(const RateWindow& other) const {
        return requests == other.requests && period == other.period;
    }
};

struct RateLimit {
    std::vector<RateWindow> windows;

    bool operator==(const RateLimit& other) const { return windows == other.windows; }
    bool operator!=(const RateLimit& other) const { return !(*this == other); }
};

/// "60/min, 2000/h": periods s, min, h, d, or any duration ("10/30s"). Throws std::invalid_argument
/// with a readable message.
RateLimit parseRateLimit(const std::string& text);

/// The way parseRateLimit() reads it back: "60/min, 2000/h".
std::string formatRateLimit(const RateLimit& limit);

}  // namespace citysense::api
