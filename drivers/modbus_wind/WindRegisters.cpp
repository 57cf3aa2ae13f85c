#include "WindRegisters.h"

#include <citysense/Options.h>
#include <citysense/bus/BusError.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <string>

namespace citysense::modbus_wind {

namespace {

/// Wraps an angle into [0, 360).
double wrapDegrees(double degrees) {
    const double wrapped = std::fmod(degrees, 360.0);
    return wrapped < 0 ? wrapped + 360.0 : wrapped;
}

}  // namespace

/// One request for both registers when they are adjacent, else one each.
std::vector<WindRegisters::Request> WindRegisters::planRequests(const RegisterMap& map) {
    if (!map.speedRegister && !map.directionRegister)
        throw OptionError("speed_register", "neither speed_register nor direction_register is set");
    if (map.speedRegister && map.directionRegister) {
        if (*map.speedRegister == *map.directionRegister)
            throw OptionError("direction_register", "is the same register as speed_register");
        const int low = std::min(*map.speedRegister, *map.directionRegister);
        const int high = std::max(*map.speedRegister, *map.directionRegister);
        if (high == low + 1)
            return {{low, 2}};
    }
    std::vector<Request> requests;
    for (const auto& address : {map.speedRegister, map.directionRegister}) {
        if (address)
            requests.push_back({*address, 1});
    }
    return requests;
}

WindRegisters::WindRegisters(const RegisterMap& map) : _map(map), _requests(planRequests(map)) {}

WindReading WindRegisters::read(ModbusMaster& master) const {
    std::map<int, std::uint16_t> registers;  // by address
    for (const Request& request : _requests) {
        const std::vector<std::uint16_t> values =
            master.readRegisters(_map.kind, request.address, request.count);
        if (values.size() != static_cast<std::size_t>(request.count))
            throw BusError(describeRead(_map.kind, request.address, request.count) + ": answered " +
                           std::to_string(values.size()) + " of " + std::to_string(request.count) +
                           " registers");
        for (int i = 0; i < request.count; ++i)
            registers[request.address + i] = values[static_cast<std::size_t>(i)];
    }
    WindReading reading;
    if (_map.speedRegister)
        reading.speed = registers.at(*_map.speedRegister) * _map.speedScale;
    if (_map.directionRegister)
        reading.direction = wrapDegrees(registers.at(*_map.directionRegister) * _map.directionScale);
    return reading;
}

}  // namespace citysense::modbus_wind
