#include "RateLimit.h"

#include <citysense/Options.h>

#include <Poco/NumberParser.h>
#include <Poco/String.h>

#include <array>
#include <stdexcept>
#include <utility>

namespace citysense::api {

namespace {

constexpr std::array<std::pair<const char*, Micros>, 4> kPeriods = {{
    {"s", kMicrosPerSecond},
    {"min", 60 * kMicrosPerSecond},
    {"h", 3600 * kMicrosPerSecond},
    {"d", 86400 * kMicrosPerSecond},
}};

Micros parsePeriod(const std::string& text) {
    for (const auto& [name, period] : kPeriods) {
        if (text == name)
            return period;
    }
    return parseDuration(text);
}

}  // namespace

RateLimit parseRateLimit(const std::string& text) {
    RateLimit limit;
    for (const std::string& item : splitList(text)) {
        const auto slash = item.find('/');
        const std::string count = Poco::trim(item.substr(0, slash));
        int requests = 0;
        if (slash == std::string::npos || !Poco::NumberParser::tryParse(count, requests) || requests < 1)
            throw std::invalid_argument("'" + item + "' is not a number of requests per period, e.g. 60/min");
        const Micros period = parsePeriod(Poco::trim(item.substr(slash + 1)));
        if (period < kMicrosPerSecond)
            throw std::invalid_argument("'" + item + "': the period is under a second");
        limit.windows.push_back({requests, period});
    }
    if (limit.windows.empty())
        throw std::invalid_argument("no rate limit given: write e.g. 60/min, 2000/h");
    return limit;
}

std::string formatRateLimit(const RateLimit& limit) {
    std::string text;
    for (const RateWindow& window : limit.windows) {
        std::string period = formatDuration(window.period);
        for (const auto& [name, length] : kPeriods) {
            if (window.period == length)
                period = name;
        }
        text += (text.empty() ? "" : ", ") + std::to_string(window.requests) + "/" + period;
    }
    return text;
}

}  // namespace citysense::api
