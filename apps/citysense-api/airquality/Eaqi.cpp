#include "Eaqi.h"

#include <array>

namespace citysense::airquality {

namespace {

/// The upper edges of the bands Good to Very poor; above the last is Extremely poor.
using Edges = std::array<double, 5>;

std::optional<Edges> edgesOf(Quantity quantity) {
    switch (quantity) {
        case Quantity::NO2:
            return Edges{10, 25, 60, 100, 150};
        case Quantity::SO2:
            return Edges{20, 40, 125, 190, 275};
        default:
            return std::nullopt;
    }
}

}  // namespace

const char* bandName(Band band) {
    switch (band) {
        case Band::Good:
            return "Good";
        case Band::Fair:
            return "Fair";
        case Band::Moderate:
            return "Moderate";
        case Band::Poor:
            return "Poor";
        case Band::VeryPoor:
            return "Very poor";
        case Band::ExtremelyPoor:
            return "Extremely poor";
    }
    return "?";
}

const char* bandColour(Band band) {
    switch (band) {
        case Band::Good:
            return "#50F0E6";
        case Band::Fair:
            return "#50CCAA";
        case Band::Moderate:
            return "#F0E641";
        case Band::Poor:
            return "#FF5050";
        case Band::VeryPoor:
            return "#960032";
        case Band::ExtremelyPoor:
            return "#7D2181";
    }
    return "#808080";
}

std::optional<Band> pollutantBand(Quantity quantity, double microgramsPerCubicMetre) {
    const std::optional<Edges> edges = edgesOf(quantity);
    if (!edges)
        return std::nullopt;
    int band = static_cast<int>(Band::Good);
    for (const double edge : *edges) {
        if (microgramsPerCubicMetre <= edge)
            break;
        ++band;
    }
    return static_cast<Band>(band);
}

StationIndex stationIndex(const std::vector<PollutantHour>& hours) {
    StationIndex index;
    for (const PollutantHour& pollutant : hours) {
        if (!edgesOf(pollutant.quantity))
            continue;
        if (!pollutant.hour.valid) {
            index.incomplete = true;
            continue;
        }
        const Band band = *pollutantBand(pollutant.quantity, *pollutant.hour.mean);
        if (!index.band || band > *index.band) {
            index.band = band;
            index.pollutant = pollutant.quantity;
        }
    }
    return index;
}

}  // namespace citysense::airquality
