#include "LibmodbusMaster.h"

#include <modbus.h>

#include <cerrno>

namespace citysense::modbus_wind {

namespace {

/// Modbus RTU frames are binary: every character has 8 data bits.
constexpr int kDataBits = 8;

}  // namespace

LibmodbusMaster::LibmodbusMaster(const RtuSettings& settings)
    : _name(settings.port + " slave " + std::to_string(settings.slave)),
      _context(::modbus_new_rtu(settings.port.c_str(), settings.baud, settings.parity, kDataBits,
                                settings.stopBits)) {
    if (!_context)
        throw failure("set up", errno);
    try {
        if (::modbus_set_slave(_context, settings.slave) < 0)
            throw failure("set address", errno);
        if (::modbus_connect(_context) < 0)
            throw failure("open", errno);
        const auto seconds = static_cast<std::uint32_t>(settings.timeout / kMicrosPerSecond);
        const auto micros = static_cast<std::uint32_t>(settings.timeout % kMicrosPerSecond);
        if (::modbus_set_response_timeout(_context, seconds, micros) < 0)
            throw failure("set response timeout", errno);
        if (settings.rs485 && ::modbus_rtu_set_serial_mode(_context, MODBUS_RTU_RS485) < 0)
            throw failure("switch to RS485 mode", errno);
    } catch (...) {
        ::modbus_close(_context);
        ::modbus_free(_context);
        throw;
    }
}

LibmodbusMaster::~LibmodbusMaster() {
    ::modbus_close(_context);
    ::modbus_free(_context);
}

std::vector<std::uint16_t> LibmodbusMaster::readRegisters(RegisterKind kind, int address, int count) {
    // Bytes still waiting (a late answer to a request that timed out) are not this request's answer.
    ::modbus_flush(_context);
    std::vector<std::uint16_t> values(static_cast<std::size_t>(count));
    const int got = kind == RegisterKind::Input
                        ? ::modbus_read_input_registers(_context, address, count, values.data())
                        : ::modbus_read_registers(_context, address, count, values.data());
    if (got < 0)
        throw failure(describeRead(kind, address, count), errno);
    values.resize(static_cast<std::size_t>(got));
    return values;
}

BusError LibmodbusMaster::failure(const std::string& what, int error) const {
    return BusError(_name + ": " + what + ": " + ::modbus_strerror(error));
}

}  // namespace citysense::modbus_wind
