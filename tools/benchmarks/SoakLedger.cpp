// The city soak's plan and ledger (SoakLedger.h).
#include "SoakLedger.h"

#include "SoakShared.h"

#include <cstdio>

namespace citysense::bench {

const std::vector<SoakQuantity>& soakQuantities() {
    static const std::vector<SoakQuantity> table = {
        {"temperature/celcius", "temperature", 12.5},
        {"temperature/fahrenheit", "temperature_f", 54.5},
        {"air_condition/humidity", "humidity", 61.0},
        {"air_condition/pressure", "pressure", 101325.0},
        {"air_condition/wind_speed", "wind_speed", 3.2},
        {"air_condition/wind_direction", "wind_direction", 215.0},
        {"air_pollution/no2_level", "no2", 21.0},
        {"air_pollution/so2_level", "so2", 2.0},
        {"traffic/traffic_speed", "traffic_speed", 38.0},
    };
    return table;
}

Micros SoakPlan::time(std::size_t gateway, std::size_t round) const {
    return start + static_cast<Micros>(round) * interval +
           static_cast<Micros>(gateway) * interval / static_cast<Micros>(gateways);
}

std::size_t SoakPlan::readings() const {
    return gateways * soakQuantities().size() * rounds;
}

std::size_t SoakPlan::reading(std::size_t gateway, std::size_t quantity, std::size_t round) const {
    return (gateway * soakQuantities().size() + quantity) * rounds + round;
}

std::optional<std::size_t> SoakPlan::reading(std::size_t gateway, std::size_t quantity, Micros time) const {
    if (gateway >= gateways || quantity >= soakQuantities().size())
        return std::nullopt;
    const Micros sinceFirst = time - this->time(gateway, 0);
    if (sinceFirst < 0 || sinceFirst % interval != 0)
        return std::nullopt;
    const auto round = static_cast<std::size_t>(sinceFirst / interval);
    if (round >= rounds)
        return std::nullopt;
    return reading(gateway, quantity, round);
}

std::optional<std::size_t> gatewayOfStreet(const std::string& street) {
    unsigned long gateway = 0;
    int consumed = 0;
    if (std::sscanf(street.c_str(), "street_%lu%n", &gateway, &consumed) != 1 ||
        static_cast<std::size_t>(consumed) != street.size())
        return std::nullopt;
    return gateway;
}

std::string streetOfGateway(std::size_t gateway) {
    char street[32];
    std::snprintf(street, sizeof street, "street_%05zu", gateway);
    return street;
}

std::optional<std::size_t> quantityIndex(const std::string& quantity) {
    const auto& table = soakQuantities();
    for (std::size_t i = 0; i < table.size(); ++i)
        if (quantity == table[i].quantity)
            return i;
    return std::nullopt;
}

SoakLedger::SoakLedger(const SoakPlan& plan)
    : _plan(plan),
      _flags(sharedArray<std::atomic<std::uint8_t>>(plan.readings())),
      _stored(plan.readings(), 0) {}

void SoakLedger::mark(std::size_t reading, Flag flag) {
    _flags[reading].fetch_or(flag, std::memory_order_relaxed);
}

bool SoakLedger::markFirst(std::size_t reading, Flag flag) {
    return !(_flags[reading].fetch_or(flag, std::memory_order_relaxed) & flag);
}

bool SoakLedger::has(std::size_t reading, Flag flag) const {
    return _flags[reading].load(std::memory_order_relaxed) & flag;
}

void SoakLedger::countStored(std::size_t reading) {
    if (_stored[reading] < 255)
        ++_stored[reading];
}

}  // namespace citysense::bench
