// What a simulated quantity looks like when the configuration says nothing about it (the deployed
// prototype's means and spreads), and how a value that strays outside its physical range is brought back.
#pragma once

#include <citysense/Quantity.h>

namespace citysense::simulated {

/// How a value outside the physical range is folded back before it is clamped.
enum class Fold {
    None,     ///< clamped only
    Reflect,  ///< a magnitude (speed, concentration, pressure): a negative value becomes its absolute value
    Wrap,     ///< an angle: wrapped into [physicalMin, physicalMax)
};

struct Profile {
    Quantity quantity;
    double mean;
    double stddev;
    Fold fold;
};

/// The profile of a quantity.
const Profile& profile(Quantity quantity);

/// `value` folded as the quantity's profile says, then clamped into the quantity's physical range.
double keepPhysical(Quantity quantity, double value);

}  // namespace citysense::simulated
