// The EU's limit values for NO2 and SO2 as data, so that a city can report against the limits in
// force (Directive 2008/50/EC) and the ones to be met from 2030 (Directive (EU) 2024/2881, Annex I),
// and a new set is a table entry, not code.
#pragma once

#include <citysense/Quantity.h>

#include <optional>
#include <string>
#include <vector>

namespace citysense::airquality {

enum class Averaging { Hour, Day, Year };

/// "hour", "day", "year".
const char* averagingName(Averaging averaging);

struct LimitValue {
    Averaging averaging;
    double threshold;  ///< µg/m³; a period's mean above it exceeds it
    /// Exceedances allowed in a calendar year (hour and day limits); a year limit allows none.
    int allowedExceedances;
};

struct PollutantLimits {
    Quantity quantity;
    std::vector<LimitValue> limits;
    /// µg/m³; three consecutive valid hours above it are an alert episode
    std::optional<double> alertThreshold;
};

struct LimitSet {
    std::string name;  ///< "2008/50/EC"
    std::string description;
    std::vector<PollutantLimits> pollutants;
};

/// Every limit set, the one in force first.
const std::vector<LimitSet>& limitSets();

/// The set of that name; nullptr when there is none.
const LimitSet* limitSetByName(const std::string& name);

}  // namespace citysense::airquality
