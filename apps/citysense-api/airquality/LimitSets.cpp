#include "LimitSets.h"

namespace citysense::airquality {

const char* averagingName(Averaging averaging) {
    switch (averaging) {
        case Averaging::Hour:
            return "hour";
        case Averaging::Day:
            return "day";
        case Averaging::Year:
            return "year";
    }
    return "?";
}

const std::vector<LimitSet>& limitSets() {
    static const std::vector<LimitSet> sets = {
        {"2008/50/EC",
         "Directive 2008/50/EC, Annex XI and XII: the limit values in force",
         {{Quantity::NO2, {{Averaging::Hour, 200, 18}, {Averaging::Year, 40, 0}}, 400},
          {Quantity::SO2, {{Averaging::Hour, 350, 24}, {Averaging::Day, 125, 3}}, 500}}},
        {"2024/2881",
         "Directive (EU) 2024/2881, Annex I: the limit values to be met from 1 January 2030",
         {{Quantity::NO2,
           {{Averaging::Hour, 200, 3}, {Averaging::Day, 50, 18}, {Averaging::Year, 20, 0}},
           400},
          {Quantity::SO2,
           {{Averaging::Hour, 350, 3}, {Averaging::Day, 50, 18}, {Averaging::Year, 20, 0}},
           500}}},
    };
    return sets;
}

const LimitSet* limitSetByName(const std::string& name) {
    for (const LimitSet& set : limitSets())
        if (set.name == name)
            return &set;
    return nullptr;
}

}  // namespace citysense::airquality
