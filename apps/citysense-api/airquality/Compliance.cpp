#include "Compliance.h"

#include <algorithm>

namespace citysense::airquality {

namespace {

/// Hours of the year that are valid.
std::uint64_t validCount(const std::vector<Aggregate>& aggregates) {
    return static_cast<std::uint64_t>(std::count_if(
        aggregates.begin(), aggregates.end(), [](const Aggregate& aggregate) { return aggregate.valid; }));
}

Verdict verdictOf(std::uint64_t exceedances, int allowed, double dataCapture) {
    if (exceedances > static_cast<std::uint64_t>(allowed))
        return Verdict::Exceeded;
    return dataCapture >= 0.9 ? Verdict::Met : Verdict::InsufficientData;
}

/// The valid periods of `periods` whose mean is above the threshold.
std::uint64_t exceedancesOf(const std::vector<Aggregate>& periods, double threshold) {
    return static_cast<std::uint64_t>(
        std::count_if(periods.begin(), periods.end(),
                      [&](const Aggregate& period) { return period.valid && *period.mean > threshold; }));
}

LimitResult limitResult(const LimitValue& limit, const std::vector<Aggregate>& hours, double dataCapture) {
    LimitResult result;
    result.limit = limit;
    result.dataCapture = dataCapture;
    const std::vector<Aggregate> periods =
        limit.averaging == Averaging::Hour
            ? hours
            : rollUp(hours, limit.averaging == Averaging::Day ? Period::Day : Period::Year);
    result.periods = periods.size();
    result.validPeriods = validCount(periods);
    result.exceedances = exceedancesOf(periods, limit.threshold);
    if (limit.averaging != Averaging::Year) {
        result.verdict = verdictOf(result.exceedances, limit.allowedExceedances, dataCapture);
        return result;
    }
    if (!periods.empty())
        result.mean = periods.front().mean;
    if (result.validPeriods == 0)
        result.verdict = Verdict::InsufficientData;
    else
        result.verdict = result.exceedances > 0 ? Verdict::Exceeded : Verdict::Met;
    return result;
}

std::uint64_t alertEpisodes(const std::vector<Aggregate>& hours, double threshold) {
    std::uint64_t episodes = 0;
    std::size_t run = 0;
    for (const Aggregate& hour : hours) {
        run = hour.valid && *hour.mean > threshold ? run + 1 : 0;
        if (run == 3)
            ++episodes;  // a longer run is the same episode
    }
    return episodes;
}

}  // namespace

const char* verdictName(Verdict verdict) {
    switch (verdict) {
        case Verdict::Met:
            return "met";
        case Verdict::Exceeded:
            return "exceeded";
        case Verdict::InsufficientData:
            return "insufficient_data";
    }
    return "?";
}

ComplianceResult compliance(const PollutantLimits& limits, const std::vector<Aggregate>& hours) {
    ComplianceResult result;
    result.quantity = limits.quantity;
    const double dataCapture =
        hours.empty() ? 0 : static_cast<double>(validCount(hours)) / static_cast<double>(hours.size());
    for (const LimitValue& limit : limits.limits)
        result.limits.push_back(limitResult(limit, hours, dataCapture));
    result.alertThreshold = limits.alertThreshold;
    if (limits.alertThreshold)
        result.alertEpisodes = alertEpisodes(hours, *limits.alertThreshold);
    return result;
}

}  // namespace citysense::airquality
