// The readings store's queries behind the air-quality resources: one sensor's readings in time order
// a chunk at a time (through the primary key, sensor and time), the spacing of its readings, and, for
// the latest-values snapshot, set-based queries over every sensor at once (never one per station).
//
// Readings flagged out of range, sensor fault or warming up are no measurement of the air: the
// readings these queries give for aggregates leave them out, so the time they stand for is not covered.
#pragma once

#include "ReadingsStore.h"
#include "airquality/Aggregates.h"

#include <cstdint>
#include <map>
#include <optional>
#include <vector>

namespace citysense::api {

/// Sensor ids bound in one query (SQLite allows 32,766 values in a statement, MariaDB 65,535).
constexpr std::size_t kSensorsAQuery = 1000;

/// A reading of one sensor, with the sensor's id.
struct SensorReading {
    std::int64_t sensor = 0;
    airquality::Reading reading;
};

/// What a sensor's gateway announced of its timing (sensors.interval_us, on_change, max_silence_us).
struct AnnouncedTiming {
    Micros interval = 0;
    bool onChange = false;
    std::optional<Micros> maxSilence;  ///< on change: none when unbounded
};

/// A sensor's latest reading with the timing its gateway announced, or, when it announced none, the
/// times of the three readings before it (latest first, as many as there are), from which its
/// interval is told.
struct LatestReading {
    std::int64_t sensor = 0;
    std::int64_t station = 0;
    std::string quantity;
    std::string unit;
    Micros time = 0;
    double value = 0;
    std::uint16_t quality = 0;
    std::optional<AnnouncedTiming> announced;
    std::vector<Micros> earlierTimes;  ///< empty when announced
};

class AirQualityStore {
public:
    explicit AirQualityStore(ReadingsStore& store) : _store(store) {}

    ReadingsStore& readingsStore() { return _store; }

    /// At most `limit` usable readings of `sensor` with from <= time < to, in time order.
    std::vector<airquality::Reading> readings(std::int64_t sensor, Micros from, Micros to, std::size_t limit);
    /// The last usable reading of `sensor` before `time`.
    std::optional<airquality::Reading> readingBefore(std::int64_t sensor, Micros time);

    /// The times of at most `count` readings of `sensor` (usable or not) before `time`, latest first.
    std::vector<Micros> timesBefore(std::int64_t sensor, Micros time, std::size_t count);
    /// The times of at most `count` readings of `sensor` at or after `time`, earliest first.
    std::vector<Micros> timesFrom(std::int64_t sensor, Micros time, std::size_t count);

    /// The announced timing of those of `sensors` that have one: a query for every kSensorsAQuery sensors.
    std::map<std::int64_t, AnnouncedTiming> announcedTimings(const std::vector<std::int64_t>& sensors);

    /// Every sensor's latest reading (sensors without readings are left out), by station, then sensor:
    /// one query.
    std::vector<LatestReading> latestReadings();
    /// The usable readings of `sensors` with from <= time < to, by sensor, then time: one range of the
    /// primary key per sensor, a query for every kSensorsAQuery sensors.
    std::vector<SensorReading> readingsOfSensors(const std::vector<std::int64_t>& sensors, Micros from,
                                                 Micros to);

private:
    ReadingsStore& _store;
};

}  // namespace citysense::api
