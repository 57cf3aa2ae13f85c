// How often a sensor reports and how long each of its readings stands (airquality::SensorTiming), and
// where that was learnt: announced by the sensor's gateway (recorded in the sensors table by the
// ingest), or, failing that, told from the median spacing of its readings (HourlySeries.h).
//
// An announced sensor reports every interval; a reading of a periodic one stands for that interval, one
// of a publish-on-change sensor for its maximum silence (at least an interval), or, with the silence
// unbounded, until the next reading (airquality::kUnboundedHold).
#pragma once

#include "AirQualityStore.h"
#include "airquality/Aggregates.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace citysense::api {

enum class IntervalSource { Announced, MedianSpacing };

struct KnownTiming {
    airquality::SensorTiming timing;
    IntervalSource source;
};

/// "announced", "median_spacing": the response's interval_source.
const char* intervalSourceName(IntervalSource source);

/// The timing of a sensor as its gateway announced it.
airquality::SensorTiming timingOf(const AnnouncedTiming& announced);

/// The sensor's timing: announced, or else from the median spacing of its readings around `end`
/// (sensorInterval()); nothing when it announced none and has fewer than two readings.
std::optional<KnownTiming> sensorTiming(AirQualityStore& store, std::int64_t sensor, Micros end);

}  // namespace citysense::api
