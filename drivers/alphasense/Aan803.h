// Alphasense application note AAN 803, "Correcting for background currents in four electrode toxic
// gas sensors": from the working (WE) and auxiliary (AE) electrode outputs of a B4-series cell on an
// Individual Sensor Board, its certificate's zero offsets and the cell's temperature, the gas
// concentration. Arithmetic only: this file knows nothing of buses or ADCs. All voltages in mV.
#pragma once

#include <citysense/Quantity.h>

#include <array>
#include <string>
#include <vector>

namespace citysense::alphasense {

/// The temperatures of AAN 803's factor tables: -30 °C to 50 °C in 10 °C steps.
constexpr double kFirstTableCelsius = -30.0;
constexpr double kTableStepCelsius = 10.0;
constexpr std::size_t kTablePoints = 9;

using FactorRow = std::array<double, kTablePoints>;

/// A cell type. Cells are rows of a table, not branches in the code.
struct Cell {
    const char* name;   ///< the option value, e.g. "no2_b43f"
    const char* model;  ///< the part number, e.g. "NO2-B43F"
    Quantity quantity;
    double minPpb;                     ///< readings near zero scatter below it (noise, residual zero offset)
    double maxPpb;                     ///< the datasheet's "range, limit of performance warranty"
    std::array<FactorRow, 4> factors;  ///< n_T, k_T, k'_T, k''_T: algorithms 1..4, by table temperature
};

/// Every cell type the driver knows.
const std::vector<Cell>& cells();

/// The cells' option values, in table order.
std::vector<std::string> cellNames();

/// The cell named `name`; nullptr if there is none.
const Cell* cellByName(const std::string& name);

/// What the ISB certificate says of one cell, in mV, and its sensitivity.
struct Calibration {
    double weElectronicZero = 0.0;  ///< WEe: the ISB's WE offset without a sensor
    double aeElectronicZero = 0.0;  ///< AEe
    double weSensorZero = 0.0;      ///< WE0: the sensor's WE output in zero air (algorithms 2, 3, 4)
    double aeSensorZero = 0.0;      ///< AE0 (algorithms 2, 3)
    double sensitivity = 1.0;       ///< mV/ppb, WE side
};

/// The first and last algorithm of AAN 803.
constexpr int kFirstAlgorithm = 1;
constexpr int kLastAlgorithm = 4;

/// Whether `algorithm` uses WE0, and AE0.
bool usesWeSensorZero(int algorithm);
bool usesAeSensorZero(int algorithm);

/// The correction of one cell by one algorithm.
class Correction {
public:
    /// `algorithm` must be 1..4 and `calibration` hold what it uses (std::invalid_argument otherwise).
    Correction(const Cell& cell, int algorithm, const Calibration& calibration);

    /// The algorithm's temperature factor at `celsius`: linear between the table temperatures, the
    /// first and last value held below -30 °C and above 50 °C.
    double factor(double celsius) const;

    /// WEc, the working electrode output with the background removed:
    ///   1: (WEu - WEe) - n_T (AEu - AEe)
    ///   2: (WEu - WEe) - k_T (WE0 / AE0) (AEu - AEe)
    ///   3: (WEu - WEe) - (WE0 - AE0) - k'_T (AEu - AEe)
    ///   4: (WEu - WEe) - WE0 - k''_T
    double correctedWorkingElectrode(double weMillivolts, double aeMillivolts, double celsius) const;

    /// The concentration: WEc / sensitivity. Not clamped: near zero it may be negative.
    double ppb(double weMillivolts, double aeMillivolts, double celsius) const;

    const Cell& cell() const { return _cell; }
    int algorithm() const { return _algorithm; }

private:
    const Cell& _cell;
    int _algorithm;
    Calibration _calibration;
};

}  // namespace citysense::alphasense
