#include "Aggregates.h"

#include "Calendar.h"

#include <algorithm>
#include <iterator>

namespace citysense::airquality {

namespace {

/// What accumulates for one hour while the readings are walked.
struct HourSums {
    Micros covered = 0;
    double weightedSum = 0;
    std::optional<double> min;
    std::optional<double> max;
    std::uint64_t count = 0;
};

using ReadingIterator = std::vector<Reading>::const_iterator;

/// Hourly aggregates for the whole hours of [from, to), both hour starts, from the readings [first, last).
std::vector<Aggregate> hourly(ReadingIterator first, ReadingIterator last, Micros from, Micros to,
                              const SensorTiming& timing) {
    const std::size_t hours = static_cast<std::size_t>((to - from) / kMicrosPerHour);
    std::vector<HourSums> sums(hours);
    const auto hourIndex = [&](Micros time) {
        return static_cast<std::size_t>((time - from) / kMicrosPerHour);
    };
    for (auto at = first; at != last && at->time < to; ++at) {
        const Reading& reading = *at;
        if (reading.time >= from)
            ++sums[hourIndex(reading.time)].count;
        // Added as a span, never as a time plus kUnboundedHold, which would overflow.
        const Micros standsFor = std::next(at) != last
                                     ? std::min(std::next(at)->time - reading.time, timing.hold)
                                 : timing.hold == kUnboundedHold ? timing.interval
                                                                 : timing.hold;
        const Micros standsUntil = reading.time + standsFor;
        // The stretch the reading stands for, cut at the hour boundaries it crosses.
        for (Micros begin = std::max(reading.time, from), end = std::min(standsUntil, to); begin < end;) {
            const Micros hourEnd = hourStart(begin) + kMicrosPerHour;
            const Micros pieceEnd = std::min(end, hourEnd);
            HourSums& hour = sums[hourIndex(begin)];
            hour.covered += pieceEnd - begin;
            hour.weightedSum += reading.value * static_cast<double>(pieceEnd - begin);
            hour.min = std::min(hour.min.value_or(reading.value), reading.value);
            hour.max = std::max(hour.max.value_or(reading.value), reading.value);
            begin = pieceEnd;
        }
    }
    std::vector<Aggregate> result;
    result.reserve(hours);
    const double expected = static_cast<double>(kMicrosPerHour) / static_cast<double>(timing.interval);
    for (std::size_t i = 0; i < hours; ++i) {
        const HourSums& hour = sums[i];
        Aggregate aggregate;
        aggregate.start = from + static_cast<Micros>(i) * kMicrosPerHour;
        aggregate.end = aggregate.start + kMicrosPerHour;
        if (hour.covered > 0)
            aggregate.mean = hour.weightedSum / static_cast<double>(hour.covered);
        aggregate.min = hour.min;
        aggregate.max = hour.max;
        aggregate.count = hour.count;
        aggregate.expected = expected;
        aggregate.coverage = static_cast<double>(hour.covered) / static_cast<double>(kMicrosPerHour);
        aggregate.valid = hour.covered * 4 >= kMicrosPerHour * 3;  // 75 %, in whole microseconds
        result.push_back(aggregate);
    }
    return result;
}

/// Whether a period of `hours` hours with `validHours` valid ones is valid.
bool validPeriod(Period period, std::size_t validHours, std::size_t hours) {
    if (period == Period::Day)
        return validHours >= 18;
    return validHours * 10 >= hours * 9;  // 90 %
}

}  // namespace

std::vector<Aggregate> rollUp(const std::vector<Aggregate>& hours, Period period) {
    std::vector<Aggregate> result;
    for (auto first = hours.begin(); first != hours.end();) {
        Aggregate aggregate;
        aggregate.start = first->start;
        aggregate.end = periodEnd(period, first->start);
        double sum = 0;
        std::size_t valid = 0;
        auto next = first;
        for (; next != hours.end() && next->start < aggregate.end; ++next) {
            aggregate.count += next->count;
            aggregate.expected += next->expected;
            if (!next->valid)
                continue;
            ++valid;
            sum += *next->mean;
            aggregate.min = std::min(aggregate.min.value_or(*next->min), *next->min);
            aggregate.max = std::max(aggregate.max.value_or(*next->max), *next->max);
        }
        const std::size_t hourCount = static_cast<std::size_t>(next - first);
        if (valid > 0)
            aggregate.mean = sum / static_cast<double>(valid);
        aggregate.coverage = static_cast<double>(valid) / static_cast<double>(hourCount);
        aggregate.valid = validPeriod(period, valid, hourCount);
        result.push_back(aggregate);
        first = next;
    }
    return result;
}

void scaleValues(std::vector<Aggregate>& aggregates, double factor) {
    for (Aggregate& aggregate : aggregates) {
        for (std::optional<double>* value : {&aggregate.mean, &aggregate.min, &aggregate.max})
            if (*value)
                **value *= factor;
    }
}

Micros periodStart(Period period, Micros time) {
    switch (period) {
        case Period::Hour:
            return hourStart(time);
        case Period::Day:
            return dayStart(time);
        case Period::Month:
            return monthStart(time);
        case Period::Year:
            return yearStart(yearOf(time));
    }
    return time;
}

Micros periodEnd(Period period, Micros time) {
    switch (period) {
        case Period::Hour:
            return hourStart(time) + kMicrosPerHour;
        case Period::Day:
            return dayStart(time) + kMicrosPerDay;
        case Period::Month:
            return nextMonthStart(time);
        case Period::Year:
            return yearStart(yearOf(time) + 1);
    }
    return time;
}

std::vector<Aggregate> aggregate(const std::vector<Reading>& readings, Micros from, Micros to,
                                 const SensorTiming& timing, Period period) {
    if (to <= from)
        return {};
    const Micros start = periodStart(period, from);
    const Micros end = periodEnd(period, to - 1);
    // Only the last reading before the start can stand into it.
    auto first = std::lower_bound(readings.begin(), readings.end(), start,
                                  [](const Reading& reading, Micros time) { return reading.time < time; });
    if (first != readings.begin())
        --first;
    std::vector<Aggregate> hours = hourly(first, readings.end(), start, end, timing);
    return period == Period::Hour ? hours : rollUp(hours, period);
}

}  // namespace citysense::airquality
