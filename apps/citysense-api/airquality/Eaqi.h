// The European Air Quality Index (EEA, 2024 revision) of a station-hour, from hourly means in µg/m³:
// each pollutant falls into a band, and the station's index is its worst pollutant's band.
// Bands for NO2: 10 / 25 / 60 / 100 / 150, for SO2: 20 / 40 / 125 / 190 / 275; a value on a band's upper
// edge belongs to that band (NO2 10.0 is Good, 10.1 Fair).
#pragma once

#include "Aggregates.h"

#include <citysense/Quantity.h>

#include <optional>
#include <vector>

namespace citysense::airquality {

enum class Band { Good = 1, Fair, Moderate, Poor, VeryPoor, ExtremelyPoor };

/// "Good", "Fair", "Moderate", "Poor", "Very poor", "Extremely poor".
const char* bandName(Band band);

/// The EEA's colour of the band, as "#RRGGBB".
const char* bandColour(Band band);

/// The band of one pollutant's hourly mean; none for a quantity the index does not use.
std::optional<Band> pollutantBand(Quantity quantity, double microgramsPerCubicMetre);

struct PollutantHour {
    Quantity quantity;
    Aggregate hour;  ///< in µg/m³
};

struct StationIndex {
    std::optional<Band> band;           ///< the worst band of the pollutants whose hour is valid
    std::optional<Quantity> pollutant;  ///< the one that set it
    bool incomplete = false;            ///< a pollutant's hour is not valid: the index may be too good
};

/// The index of one station-hour from its pollutants' hours (quantities the index does not use are
/// left out).
StationIndex stationIndex(const std::vector<PollutantHour>& hours);

}  // namespace citysense::airquality
