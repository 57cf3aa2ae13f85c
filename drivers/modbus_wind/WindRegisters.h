// The sensor's register map and what a read makes of it: which registers to ask for (one request
// when speed and direction are adjacent, else one each), their counts scaled to m/s and degrees, the
// direction wrapped into [0, 360). It talks only to a ModbusMaster.
#pragma once

#include "ModbusMaster.h"

#include <optional>
#include <vector>

namespace citysense::modbus_wind {

/// Where the sensor keeps its readings and how they scale. Registers are unsigned 16-bit counts.
struct RegisterMap {
    RegisterKind kind = RegisterKind::Holding;
    std::optional<int> speedRegister;      ///< none for a vane
    double speedScale = 0.1;               ///< m/s per count
    std::optional<int> directionRegister;  ///< none for an anemometer
    double directionScale = 1.0;           ///< degrees per count
};

/// One reading of the registers the map has: m/s and degrees in [0, 360).
struct WindReading {
    std::optional<double> speed;
    std::optional<double> direction;
};

class WindRegisters {
public:
    /// Throws OptionError when the map has neither register, or the same register for both.
    explicit WindRegisters(const RegisterMap& map);

    const RegisterMap& map() const { return _map; }

    /// Asks `master` for the registers and scales them. Throws BusError for any failed request and for
    /// an answer with another number of registers than asked for.
    WindReading read(ModbusMaster& master) const;

private:
    /// One read request: `count` (1 or 2) registers from `address`.
    struct Request {
        int address;
        int count;
    };

    static std::vector<Request> planRequests(const RegisterMap& map);

    RegisterMap _map;
    std::vector<Request> _requests;  ///< the requests every read makes, in order
};

}  // namespace citysense::modbus_wind
