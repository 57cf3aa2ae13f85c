// How the modbus_wind driver reaches its sensor: Modbus RTU register reads, apart from how they travel.
// LibmodbusMaster is the thin implementation on a serial port; tests put a fake in its place, so the
// register logic (WindRegisters) is the same in both.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace citysense::modbus_wind {

/// The register table a read asks: holding (function 0x03) or input (function 0x04).
enum class RegisterKind { Holding, Input };

class ModbusMaster {
public:
    virtual ~ModbusMaster() = default;

    /// Reads `count` registers of `kind` from `address` on and returns them in order. Throws
    /// BusError naming the request and the reason: no answer in time, a bad CRC, an exception
    /// response, an answer from another address.
    virtual std::vector<std::uint16_t> readRegisters(RegisterKind kind, int address, int count) = 0;
};

/// "read holding register 0x0000", "read input registers 0x0010-0x0011": a request, in errors.
std::string describeRead(RegisterKind kind, int address, int count);

}  // namespace citysense::modbus_wind
