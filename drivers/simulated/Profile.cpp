#include "Profile.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

namespace citysense::simulated {

const Profile& profile(Quantity quantity) {
    // temperature, no2, so2, wind and traffic: the deployed prototype's values; the rest: typical of a city
    // street.
    static const std::vector<Profile> table = {
        {Quantity::Temperature, 28.7, 3.5, Fold::None},
        {Quantity::TemperatureF, 83.66, 6.3, Fold::None},
        {Quantity::Humidity, 60.0, 15.0, Fold::Reflect},
        {Quantity::Pressure, 101325.0, 500.0, Fold::Reflect},
        {Quantity::WindSpeed, 15.8, 8.5, Fold::Reflect},
        {Quantity::WindSpeedKmh, 15.8, 8.5, Fold::Reflect},
        {Quantity::WindDirection, 123.8, 65.7, Fold::Wrap},
        {Quantity::NO2, 87.3, 0.5, Fold::Reflect},
        {Quantity::SO2, 122.1, 0.5, Fold::Reflect},
        {Quantity::TrafficSpeed, 0.0, 25.0, Fold::Reflect},
        {Quantity::WindGust, 22.0, 10.0, Fold::Reflect},
    };
    const auto found = std::find_if(table.begin(), table.end(),
                                    [&](const Profile& row) { return row.quantity == quantity; });
    if (found == table.end())
        throw std::logic_error(std::string("no simulation profile for quantity '") + info(quantity).name +
                               "'");
    return *found;
}

double keepPhysical(Quantity quantity, double value) {
    const QuantityInfo& row = info(quantity);
    switch (profile(quantity).fold) {
        case Fold::None:
            break;
        case Fold::Reflect:
            value = std::abs(value);
            break;
        case Fold::Wrap: {
            const double period = row.physicalMax - row.physicalMin;
            value = row.physicalMin + std::fmod(value - row.physicalMin, period);
            if (value < row.physicalMin)
                value += period;
            if (value >= row.physicalMax)  // a tiny negative remainder rounds up to the full period
                value = row.physicalMin;
            break;
        }
    }
    return std::clamp(value, row.physicalMin, row.physicalMax);
}

}  // namespace citysense::simulated
