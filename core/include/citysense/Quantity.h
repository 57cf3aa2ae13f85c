// The quantities citysense knows, each with its unit and its place in the topic tree. This table is
// the one place units are named; samples refer to a row of it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace citysense {

/// Append only: the values are part of the plugin ABI, and index the quantity table.
enum class Quantity : std::uint8_t {
    Temperature,
    TemperatureF,
    Humidity,
    Pressure,
    WindSpeed,
    WindSpeedKmh,
    WindDirection,
    NO2,
    SO2,
    TrafficSpeed,
    WindGust,
};

struct QuantityInfo {
    Quantity quantity;
    const char* name;         ///< configuration name, e.g. "temperature"
    const char* unit;         ///< SenML unit, e.g. "Cel"
    const char* category;     ///< first topic level below the street, e.g. "temperature"
    const char* measurement;  ///< second topic level, e.g. "celcius" (the deployed prototype's spelling)
    double physicalMin;       ///< values outside [physicalMin, physicalMax] cannot be real readings
    double physicalMax;
};

/// Every quantity, in enum order.
const std::vector<QuantityInfo>& quantities();

/// The row of a quantity.
const QuantityInfo& info(Quantity quantity);

/// Looks a quantity up by its configuration name; nothing if there is none.
std::optional<Quantity> quantityByName(const std::string& name);

/// The configuration names of all quantities, in enum order (e.g. for Option::allowed()).
const std::vector<std::string>& quantityNameList();

/// The same names, comma separated, for error messages and help.
std::string quantityNames();

}  // namespace citysense
