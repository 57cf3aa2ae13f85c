// One sensor's hourly aggregates over a range, read from the store a chunk at a time in time order
// (never more than an hour of readings and one chunk in memory), summed up by the airquality library;
// and the interval of a sensor whose gateway announced none, told from the spacing of its readings.
#pragma once

#include "AirQualityStore.h"
#include "airquality/Aggregates.h"

#include <optional>
#include <vector>

namespace citysense::api {

/// How many readings' spacings tell a sensor's interval.
constexpr std::size_t kIntervalSample = 100;

/// How many readings are asked of the store at once.
constexpr std::size_t kReadingsChunk = 20000;

/// The median of the spacings between consecutive `times` (in any order, each once; the upper of the
/// two middle ones for an even count); nothing with fewer than two times.
std::optional<Micros> medianSpacing(std::vector<Micros> times);

/// The sensor's interval: the median spacing of its last kIntervalSample + 1 readings before `end`, or,
/// with fewer than two there, of its first ones from `end` on; nothing when it has fewer than two
/// readings. Two descents of the primary key at most.
std::optional<Micros> sensorInterval(AirQualityStore& store, std::int64_t sensor, Micros end);

/// A sensor reporting every `interval`, each reading standing until the next, for at most that long.
airquality::SensorTiming timingOf(Micros interval);

/// The hourly aggregates of [from, to) (hour starts) of `sensor`, reading `chunk` readings at a time.
std::vector<airquality::Aggregate> hourlyAggregates(AirQualityStore& store, std::int64_t sensor, Micros from,
                                                    Micros to, const airquality::SensorTiming& timing,
                                                    std::size_t chunk = kReadingsChunk);

/// The aggregates of `period` over the periods overlapping [from, to), whole periods: the hourly ones
/// rolled up.
std::vector<airquality::Aggregate> aggregates(AirQualityStore& store, std::int64_t sensor, Micros from,
                                              Micros to, const airquality::SensorTiming& timing,
                                              airquality::Period period);

}  // namespace citysense::api
