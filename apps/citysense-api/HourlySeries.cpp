#include "HourlySeries.h"

#include "airquality/Calendar.h"

#include <algorithm>

namespace citysense::api {

std::optional<Micros> medianSpacing(std::vector<Micros> times) {
    if (times.size() < 2)
        return std::nullopt;
    std::sort(times.begin(), times.end());
    std::vector<Micros> spacings;
    for (std::size_t at = 1; at < times.size(); ++at)
        spacings.push_back(times[at] - times[at - 1]);
    const auto middle = spacings.begin() + static_cast<std::ptrdiff_t>(spacings.size() / 2);
    std::nth_element(spacings.begin(), middle, spacings.end());
    return *middle;
}

std::optional<Micros> sensorInterval(AirQualityStore& store, std::int64_t sensor, Micros end) {
    if (const auto interval = medianSpacing(store.timesBefore(sensor, end, kIntervalSample + 1)))
        return interval;
    return medianSpacing(store.timesFrom(sensor, end, kIntervalSample + 1));
}

airquality::SensorTiming timingOf(Micros interval) {
    return {interval, interval};
}

std::vector<airquality::Aggregate> hourlyAggregates(AirQualityStore& store, std::int64_t sensor, Micros from,
                                                    Micros to, const airquality::SensorTiming& timing,
                                                    std::size_t chunk) {
    std::vector<airquality::Aggregate> hours;
    hours.reserve(static_cast<std::size_t>((to - from) / airquality::kMicrosPerHour));
    // The readings not summed up yet, in time order: perhaps the last one before `done`, which may
    // stand into the hour at `done`, then those from it.
    std::vector<airquality::Reading> pending;
    if (const auto before = store.readingBefore(sensor, from))
        pending.push_back(*before);
    Micros done = from;    // the hours before it are summed up
    Micros cursor = from;  // the readings before it have been read
    bool exhausted = false;
    while (done < to) {
        if (!exhausted) {
            const auto read = store.readings(sensor, cursor, to, chunk);
            exhausted = read.size() < chunk;
            if (!read.empty())
                cursor = read.back().time + 1;
            pending.insert(pending.end(), read.begin(), read.end());
            // A reading that may stand longer than an interval stands until the next, which may come
            // after `to`: its time ends the last one's stretch (its value is outside the range).
            if (exhausted && timing.hold > timing.interval && !pending.empty())
                for (const Micros next : store.timesFrom(sensor, to, 1))
                    pending.push_back({next, 0.0});
        }
        // Every reading of an hour before the last reading's hour has been read.
        const Micros until = exhausted ? to : airquality::hourStart(pending.back().time);
        if (until <= done)
            continue;  // a chunk within one hour: read on
        const auto part = airquality::aggregate(pending, done, until, timing, airquality::Period::Hour);
        hours.insert(hours.end(), part.begin(), part.end());
        auto keep = std::lower_bound(
            pending.begin(), pending.end(), until,
            [](const airquality::Reading& reading, Micros time) { return reading.time < time; });
        if (keep != pending.begin())
            --keep;
        pending.erase(pending.begin(), keep);
        done = until;
    }
    return hours;
}

std::vector<airquality::Aggregate> aggregates(AirQualityStore& store, std::int64_t sensor, Micros from,
                                              Micros to, const airquality::SensorTiming& timing,
                                              airquality::Period period) {
    const Micros start = airquality::periodStart(period, from);
    const Micros end = airquality::periodEnd(period, to - 1);
    auto hours = hourlyAggregates(store, sensor, start, end, timing);
    return period == airquality::Period::Hour ? hours : airquality::rollUp(hours, period);
}

}  // namespace citysense::api
