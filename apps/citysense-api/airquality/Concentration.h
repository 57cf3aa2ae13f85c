// Gas readings arrive in ppb (the cells' unit); the EU's limits and the air-quality index are in µg/m³.
// Directive 2008/50/EC (Annex VI) standardises gas volumes at 293.15 K and 101.325 kPa, so the factor
// is the molar mass over 24.055 l/mol, not the 24.45 l/mol of 25 °C that many converters use.
#pragma once

#include <citysense/Quantity.h>

#include <optional>

namespace citysense::airquality {

/// µg/m³ per ppb at 293.15 K and 101.325 kPa: NO2 1.9125, SO2 2.6633; none for other quantities.
std::optional<double> microgramsPerCubicMetrePerPpb(Quantity quantity);

}  // namespace citysense::airquality
