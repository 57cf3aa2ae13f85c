#include <citysense/Quantity.h>

#include <stdexcept>

namespace citysense {

const std::vector<QuantityInfo>& quantities() {
    // Physical ranges are generous bounds of what the atmosphere and traffic can produce; the
    // range filter flags values outside them. Rows are in enum order.
    static const std::vector<QuantityInfo> table = {
        {Quantity::Temperature, "temperature", "Cel", "temperature", "celcius", -90.0, 60.0},
        {Quantity::TemperatureF, "temperature_f", "degF", "temperature", "fahrenheit", -130.0, 140.0},
        {Quantity::Humidity, "humidity", "%RH", "air_condition", "humidity", 0.0, 100.0},
        {Quantity::Pressure, "pressure", "Pa", "air_condition", "pressure", 30000.0, 110000.0},
        {Quantity::WindSpeed, "wind_speed", "m/s", "air_condition", "wind_speed", 0.0, 115.0},
        {Quantity::WindSpeedKmh, "wind_speed_kmh", "km/h", "air_condition", "wind_speed", 0.0, 414.0},
        {Quantity::WindDirection, "wind_direction", "deg", "air_condition", "wind_direction", 0.0, 360.0},
        {Quantity::NO2, "no2", "ppb", "air_pollution", "no2_level", 0.0, 20000.0},
        {Quantity::SO2, "so2", "ppb", "air_pollution", "so2_level", 0.0, 20000.0},
        {Quantity::TrafficSpeed, "traffic_speed", "km/h", "traffic", "traffic_speed", 0.0, 400.0},
        {Quantity::WindGust, "wind_gust", "m/s", "air_condition", "wind_gust", 0.0, 115.0},
    };
    return table;
}

const QuantityInfo& info(Quantity quantity) {
    const auto index = static_cast<std::size_t>(quantity);
    const auto& table = quantities();
    if (index >= table.size())
        throw std::out_of_range("unknown quantity " + std::to_string(index));
    return table[index];
}

std::optional<Quantity> quantityByName(const std::string& name) {
    for (const auto& row : quantities()) {
        if (name == row.name)
            return row.quantity;
    }
    return std::nullopt;
}

const std::vector<std::string>& quantityNameList() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> list;
        for (const auto& row : quantities())
            list.emplace_back(row.name);
        return list;
    }();
    return names;
}

std::string quantityNames() {
    std::string names;
    for (const auto& name : quantityNameList())
        names += (names.empty() ? "" : ", ") + name;
    return names;
}

}  // namespace citysense
