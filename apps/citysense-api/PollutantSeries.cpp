#include "PollutantSeries.h"

#include "HourlySeries.h"
#include "airquality/Calendar.h"
#include "airquality/Concentration.h"

namespace citysense::api {

namespace {

// More Datastreams than a station has.
constexpr std::size_t kMostDatastreams = 1000;

}  // namespace

std::vector<PollutantSeries> pollutantSeries(AirQualityStore& store, std::int64_t thing, Micros from,
                                             Micros to) {
    std::vector<PollutantSeries> result;
    for (const DatastreamRow& datastream : store.readingsStore().datastreams(
             Selection::relatedTo(EntityType::Thing, thing), std::nullopt, kMostDatastreams)) {
        const auto quantity = quantityByName(datastream.quantity);
        const auto factor = quantity ? airquality::microgramsPerCubicMetrePerPpb(*quantity) : std::nullopt;
        if (!factor)
            continue;
        PollutantSeries series{datastream, *quantity, sensorTiming(store, datastream.id, to), {}};
        if (series.timing) {
            series.hours = hourlyAggregates(store, datastream.id, from, to, series.timing->timing);
        } else {
            // No readings to weigh: every hour is empty, whatever timing is given; none is expected.
            series.hours = airquality::aggregate({}, from, to, timingOf(airquality::kMicrosPerHour),
                                                 airquality::Period::Hour);
            for (auto& hour : series.hours)
                hour.expected = 0;
        }
        airquality::scaleValues(series.hours, *factor);
        result.push_back(std::move(series));
    }
    return result;
}

}  // namespace citysense::api
