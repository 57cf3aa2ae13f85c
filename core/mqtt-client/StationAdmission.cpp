#include "StationAdmission.h"

#include <algorithm>

namespace citysense::mqtt {

StationAdmission::StationAdmission(StationLimits limits)
    : _limits(limits), _tokens(static_cast<double>(limits.burst)) {}

std::string StationAdmission::admit(const Station& station, Micros now) {
    if (_known.count(station))
        return {};
    if (_limits.total > 0 && _known.size() >= _limits.total)
        return "a new station, beyond the " + std::to_string(_limits.total) +
               " this ingest takes (max_stations)";
    if (!takeToken(now))
        return "a new station, beyond the " + std::to_string(_limits.perMinute) +
               " a minute this ingest registers (new_stations_per_minute)";
    _known.insert(station);
    return {};
}

bool StationAdmission::takeToken(Micros now) {
    if (_limits.perMinute == 0)
        return true;
    if (_refilled == 0)
        _refilled = now;
    const double perMicro = static_cast<double>(_limits.perMinute) / (60.0 * kMicrosPerSecond);
    _tokens = std::min(static_cast<double>(_limits.burst),
                       _tokens + static_cast<double>(std::max<Micros>(0, now - _refilled)) * perMicro);
    _refilled = now;
    if (_tokens < 1.0)
        return false;
    _tokens -= 1.0;
    return true;
}

}  // namespace citysense::mqtt
