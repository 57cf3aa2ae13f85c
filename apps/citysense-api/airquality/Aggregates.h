// One sensor's readings summed up per hour, day, month or year, with the validity rules of Directive
// 2008/50/EC (Annex VII and XI): an hourly value is valid when readings cover at least 75 % of the
// hour, a daily value when at least 18 of its hourly values are valid, an annual value when at least
// 90 % of its hourly values are. A month is held to the annual rule (the directive sets none).
//
// A reading stands for the time from it until the next reading, but at most `hold`: the sensor's
// interval, or for a sensor behind a publish-on-change filter its maximum silence, so that its quiet
// stretches count as covered and are not missing data. A publish-on-change sensor whose silence is
// unbounded (kUnboundedHold) is covered from each reading to the next; its last reading, which no
// later one shows the sensor outlived, stands for one interval. Means are weighted by that time.
#pragma once

#include <citysense/Time.h>

#include <cstdint>
#include <limits>
#include <optional>
#include <vector>

namespace citysense::airquality {

struct Reading {
    Micros time;
    double value;
};

/// The hold of a publish-on-change sensor whose silence has no bound.
constexpr Micros kUnboundedHold = std::numeric_limits<Micros>::max();

/// Both above zero.
struct SensorTiming {
    Micros interval;  ///< between two readings
    Micros hold;  ///< how long a reading stands at most: the interval, the maximum silence, or kUnboundedHold
};

enum class Period { Hour, Day, Month, Year };

struct Aggregate {
    Micros start;  ///< [start, end), on the UTC calendar
    Micros end;
    std::optional<double> mean;  ///< hours: time-weighted; longer periods: of the valid hourly means
    std::optional<double> min;   ///< hours: of the readings standing in the hour; longer: of valid hours
    std::optional<double> max;
    std::uint64_t count = 0;  ///< readings taken in the period
    double expected = 0;      ///< readings a sensor reporting every interval takes in the period
    /// hours: the part of the hour readings cover; longer periods: the part of their hours that are valid
    double coverage = 0;
    bool valid = false;
};

/// The aggregates of `period` for every period that overlaps [from, to), whole periods, in order.
/// `readings` are in time order, one per time; the last one before the first period's start counts
/// too (it may stand into it).
std::vector<Aggregate> aggregate(const std::vector<Reading>& readings, Micros from, Micros to,
                                 const SensorTiming& timing, Period period);

/// The days, months or years of `hours`, hourly aggregates that cover whole periods of that kind.
std::vector<Aggregate> rollUp(const std::vector<Aggregate>& hours, Period period);

/// Multiplies every value (mean, min, max) by `factor`: a unit conversion (Concentration.h).
void scaleValues(std::vector<Aggregate>& aggregates, double factor);

/// The start of the period `time` lies in, and the start of the next.
Micros periodStart(Period period, Micros time);
Micros periodEnd(Period period, Micros time);

}  // namespace citysense::airquality
