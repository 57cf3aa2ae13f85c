// A resistor-network wind vane (the SparkFun weather meter's): each of 16 directions
// closes reed switches that put one resistance, or two in parallel, between the vane's terminals.
// With a pull-up to the supply the divider gives V = supply * R / (R + pull_up): this file maps a
// measured voltage to the nearest direction. Arithmetic only, no ADC.
#pragma once

#include <array>

namespace citysense::wind_vane {

/// One direction of the vane and the resistance it shows.
struct Position {
    double degrees;
    double ohms;
};

/// The 16 positions of the SparkFun weather meter's vane (SparkFun weather meter datasheet), clockwise
/// from north.
extern const std::array<Position, 16> kPositions;

/// The direction nearest to a voltage.
struct Match {
    double degrees;   ///< the table direction, before any mounting offset
    double volts;     ///< that direction's divider voltage
    double distance;  ///< |measured - volts|
};

class Vane {
public:
    /// The divider's voltages for a vane between the ADC input and GND, with `pullUpOhms` from the
    /// input to `supplyVolts` (std::invalid_argument unless both are above 0).
    Vane(double supplyVolts, double pullUpOhms);

    /// The position whose divider voltage is nearest to `volts`.
    Match nearest(double volts) const;

    /// The divider voltage of position `index` (table order).
    double volts(std::size_t index) const { return _volts[index]; }
    double lowestVolts() const;
    double highestVolts() const;
    double supplyVolts() const { return _supply; }

private:
    double _supply;
    std::array<double, 16> _volts{};
};

/// `degrees` wrapped into [0, 360).
double wrapDegrees(double degrees);

}  // namespace citysense::wind_vane
