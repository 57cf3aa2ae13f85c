// A pollutant's year at one station against a limit set: exceedances of each hour and day limit, the
// annual mean, and alert episodes, each counted from valid aggregates only (Aggregates.h), with the data
// capture that supports the count. A proven exceedance stands however little data there is; "met" needs
// the directive's 90 % data capture.
#pragma once

#include "Aggregates.h"
#include "LimitSets.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace citysense::airquality {

enum class Verdict { Met, Exceeded, InsufficientData };

/// "met", "exceeded", "insufficient_data".
const char* verdictName(Verdict verdict);

struct LimitResult {
    LimitValue limit;
    std::uint64_t exceedances = 0;   ///< hour and day limits: valid periods above the threshold
    std::uint64_t validPeriods = 0;  ///< hours or days (a year limit: 1 if the annual mean is valid)
    std::uint64_t periods = 0;       ///< in the year
    double dataCapture = 0;          ///< valid hours of the year over its hours, as the directive's rule
    std::optional<double> mean;      ///< a year limit: the annual mean
    Verdict verdict = Verdict::InsufficientData;
};

struct ComplianceResult {
    Quantity quantity;
    std::vector<LimitResult> limits;
    std::optional<double> alertThreshold;
    std::uint64_t alertEpisodes = 0;  ///< runs of at least three consecutive valid hours above it
};

/// `hours` are the pollutant's hourly aggregates of one whole calendar year, in µg/m³.
ComplianceResult compliance(const PollutantLimits& limits, const std::vector<Aggregate>& hours);

}  // namespace citysense::airquality
