// The Modbus RTU master on a serial port, through libmodbus 3.1.6: the only file of the driver that
// calls libmodbus.
#pragma once

#include "ModbusMaster.h"

#include <citysense/Time.h>
#include <citysense/bus/BusError.h>

#include <memory>
#include <string>

typedef struct _modbus modbus_t;

namespace citysense::modbus_wind {

/// The serial line and the sensor's address.
struct RtuSettings {
    std::string port;  ///< e.g. /dev/ttyUSB0
    int baud = 4800;
    char parity = 'N';
    int stopBits = 1;
    int slave = 1;
    Micros timeout = kMicrosPerSecond;  ///< the longest wait for an answer
    bool rs485 = false;                 ///< switch the port to kernel RS485 mode
};

class LibmodbusMaster : public ModbusMaster {
public:
    /// Opens and configures the port. Throws BusError "<port> slave <n>: <what>: <libmodbus's text>".
    explicit LibmodbusMaster(const RtuSettings& settings);
    ~LibmodbusMaster() override;

    LibmodbusMaster(const LibmodbusMaster&) = delete;
    LibmodbusMaster& operator=(const LibmodbusMaster&) = delete;

    std::vector<std::uint16_t> readRegisters(RegisterKind kind, int address, int count) override;

private:
    /// "/dev/ttyUSB0 slave 1: read holding registers 0x0000-0x0001: Illegal data address"
    BusError failure(const std::string& what, int error) const;

    const std::string _name;  ///< "/dev/ttyUSB0 slave 1"
    modbus_t* _context = nullptr;
};

}  // namespace citysense::modbus_wind
