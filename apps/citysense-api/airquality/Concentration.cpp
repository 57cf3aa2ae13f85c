#include "Concentration.h"

namespace citysense::airquality {

std::optional<double> microgramsPerCubicMetrePerPpb(Quantity quantity) {
    switch (quantity) {
        case Quantity::NO2:
            return 1.9125;  // 46.0055 g/mol / 24.0548 l/mol
        case Quantity::SO2:
            return 2.6633;  // 64.066 g/mol / 24.0548 l/mol
        default:
            return std::nullopt;
    }
}

}  // namespace citysense::airquality
