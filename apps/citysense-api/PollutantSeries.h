// The hourly aggregates, in µg/m³, of a station's gases that the EU limits and the air-quality index
// use (NO2, SO2): what Compliance and AirQualityIndex are computed from.
#pragma once

#include "AirQualityStore.h"
#include "SensorIntervals.h"
#include "airquality/Aggregates.h"

#include <optional>
#include <vector>

namespace citysense::api {

struct PollutantSeries {
    DatastreamRow datastream;
    Quantity quantity;
    std::optional<KnownTiming> timing;         ///< none: not announced, and fewer than two readings
    std::vector<airquality::Aggregate> hours;  ///< [from, to), in µg/m³
};

/// One for every NO2 and SO2 Datastream of station `thing`, in Datastream order. A Datastream without
/// a timing has no valid hour (and no expected count).
std::vector<PollutantSeries> pollutantSeries(AirQualityStore& store, std::int64_t thing, Micros from,
                                             Micros to);

}  // namespace citysense::api
