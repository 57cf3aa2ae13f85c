#include "SensorIntervals.h"

#include "HourlySeries.h"

#include <algorithm>

namespace citysense::api {

const char* intervalSourceName(IntervalSource source) {
    return source == IntervalSource::Announced ? "announced" : "median_spacing";
}

airquality::SensorTiming timingOf(const AnnouncedTiming& announced) {
    if (!announced.onChange)
        return {announced.interval, announced.interval};
    if (!announced.maxSilence)
        return {announced.interval, airquality::kUnboundedHold};
    return {announced.interval, std::max(announced.interval, *announced.maxSilence)};
}

std::optional<KnownTiming> sensorTiming(AirQualityStore& store, std::int64_t sensor, Micros end) {
    const auto announced = store.announcedTimings({sensor});
    if (const auto found = announced.find(sensor); found != announced.end())
        return KnownTiming{timingOf(found->second), IntervalSource::Announced};
    if (const auto interval = sensorInterval(store, sensor, end))
        return KnownTiming{timingOf(*interval), IntervalSource::MedianSpacing};
    return std::nullopt;
}

}  // namespace citysense::api
