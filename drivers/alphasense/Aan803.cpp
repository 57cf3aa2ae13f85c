#include "Aan803.h"

#include <cmath>
#include <limits>
#include <stdexcept>

namespace citysense::alphasense {

const std::vector<Cell>& cells() {
    // Factors: AAN 803, table of temperature correction factors, -30..50 °C (as copied into
    // HARDWARE.md). Ranges: each datasheet's "range, ppm limit of performance warranty". The lower
    // bound leaves room for readings scattered below zero by noise (±15 ppb NO2-B43F, ±5 ppb SO2-B4,
    // 2 sigma) and a residual zero offset (zero drift up to ±20 ppb a year).
    static const std::vector<Cell> table = {
        {"no2_b43f",
         "NO2-B43F",
         Quantity::NO2,
         -50.0,
         20000.0,
         {{
             {1.3, 1.3, 1.3, 1.3, 1.0, 0.6, 0.4, 0.2, -1.5},
             {2.2, 2.2, 2.2, 2.2, 1.7, 1.0, 0.7, 0.3, -2.5},
             {1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.4, -0.1, -4.0},
             {7.0, 7.0, 7.0, 7.0, 4.0, 0.0, 0.5, 5.0, 67.0},
         }}},
        {"so2_b4",
         "SO2-B4",
         Quantity::SO2,
         -50.0,
         100000.0,
         {{
             {1.6, 1.6, 1.6, 1.6, 1.6, 1.6, 1.9, 3.0, 5.8},
             {1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.2, 1.9, 3.6},
             {1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 2.0, 3.5, 7.0},
             {-4.0, -4.0, -4.0, -4.0, -4.0, 0.0, 20.0, 140.0, 450.0},
         }}},
    };
    return table;
}

std::vector<std::string> cellNames() {
    std::vector<std::string> names;
    for (const auto& cell : cells())
        names.emplace_back(cell.name);
    return names;
}

const Cell* cellByName(const std::string& name) {
    for (const auto& cell : cells()) {
        if (name == cell.name)
            return &cell;
    }
    return nullptr;
}

bool usesWeSensorZero(int algorithm) {
    return algorithm >= 2;
}

bool usesAeSensorZero(int algorithm) {
    return algorithm == 2 || algorithm == 3;
}

Correction::Correction(const Cell& cell, int algorithm, const Calibration& calibration)
    : _cell(cell), _algorithm(algorithm), _calibration(calibration) {
    if (algorithm < kFirstAlgorithm || algorithm > kLastAlgorithm)
        throw std::invalid_argument("AAN 803 has algorithms 1 to 4, not " + std::to_string(algorithm));
    if (!(calibration.sensitivity > 0.0))
        throw std::invalid_argument("the sensitivity must be above 0 mV/ppb");
    if (algorithm == 2 && calibration.aeSensorZero == 0.0)
        throw std::invalid_argument("algorithm 2 divides by AE0, which is 0");
}

double Correction::factor(double celsius) const {
    const FactorRow& row = _cell.factors[static_cast<std::size_t>(_algorithm - 1)];
    if (std::isnan(celsius))
        return std::numeric_limits<double>::quiet_NaN();
    const double position = (celsius - kFirstTableCelsius) / kTableStepCelsius;
    if (position <= 0.0)
        return row.front();
    if (position >= static_cast<double>(kTablePoints - 1))
        return row.back();
    const auto below = static_cast<std::size_t>(position);
    const double fraction = position - static_cast<double>(below);
    return row[below] + fraction * (row[below + 1] - row[below]);
}

double Correction::correctedWorkingElectrode(double weMillivolts, double aeMillivolts, double celsius) const {
    const Calibration& c = _calibration;
    const double we = weMillivolts - c.weElectronicZero;
    const double ae = aeMillivolts - c.aeElectronicZero;
    const double t = factor(celsius);
    switch (_algorithm) {
        case 1:
            return we - t * ae;
        case 2:
            return we - t * (c.weSensorZero / c.aeSensorZero) * ae;
        case 3:
            return we - (c.weSensorZero - c.aeSensorZero) - t * ae;
        default:
            return we - c.weSensorZero - t;
    }
}

double Correction::ppb(double weMillivolts, double aeMillivolts, double celsius) const {
    return correctedWorkingElectrode(weMillivolts, aeMillivolts, celsius) / _calibration.sensitivity;
}

}  // namespace citysense::alphasense
