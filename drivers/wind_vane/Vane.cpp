#include "Vane.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace citysense::wind_vane {

// The odd rows are the even rows' neighbours in parallel (22.5°: 33k || 8.2k = 6.57k): two reed
// switches closed. The datasheet's voltage column lists 4.78 V for 315°, which 64.9k does not give
// (5 V * 64.9k / 74.9k = 4.33 V); the voltages here are computed from the resistances.
const std::array<Position, 16> kPositions = {{
    {0.0, 33000},
    {22.5, 6570},
    {45.0, 8200},
    {67.5, 891},
    {90.0, 1000},
    {112.5, 688},
    {135.0, 2200},
    {157.5, 1410},
    {180.0, 3900},
    {202.5, 3140},
    {225.0, 16000},
    {247.5, 14120},
    {270.0, 120000},
    {292.5, 42120},
    {315.0, 64900},
    {337.5, 21880},
}};

Vane::Vane(double supplyVolts, double pullUpOhms) : _supply(supplyVolts) {
    if (!(supplyVolts > 0.0) || !(pullUpOhms > 0.0))
        throw std::invalid_argument("a vane needs a supply and a pull-up above 0");
    for (std::size_t i = 0; i < kPositions.size(); ++i)
        _volts[i] = supplyVolts * kPositions[i].ohms / (kPositions[i].ohms + pullUpOhms);
}

Match Vane::nearest(double volts) const {
    std::size_t best = 0;
    for (std::size_t i = 1; i < _volts.size(); ++i) {
        if (std::abs(volts - _volts[i]) < std::abs(volts - _volts[best]))
            best = i;
    }
    return {kPositions[best].degrees, _volts[best], std::abs(volts - _volts[best])};
}

double Vane::lowestVolts() const {
    return *std::min_element(_volts.begin(), _volts.end());
}

double Vane::highestVolts() const {
    return *std::max_element(_volts.begin(), _volts.end());
}

double wrapDegrees(double degrees) {
    double wrapped = std::fmod(degrees, 360.0);
    if (wrapped < 0.0)
        wrapped += 360.0;
    return wrapped >= 360.0 ? wrapped - 360.0 : wrapped;
}

}  // namespace citysense::wind_vane
