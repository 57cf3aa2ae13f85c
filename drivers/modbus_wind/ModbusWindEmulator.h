// An emulated RS485 Modbus RTU wind sensor for tests, played on the device side of a pseudo-terminal,
// and the RTU framing tests need to play one by hand: CRC-16/MODBUS written from its definition
// (reflected polynomial 0xA001, initial value 0xFFFF, low byte sent first), independent of libmodbus.
// Not part of the plugin.
#pragma once

#include <citysense/testing/PseudoTerminal.h>

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace citysense::modbus_wind {

std::uint16_t crc16Modbus(const std::string& frame);

/// `frame` with its CRC appended, low byte first.
std::string withCrc(std::string frame);

/// A slave at `address` holding `registers` (holding registers, by address): a thread answers each
/// read request (function 0x03) whose CRC is right, or with exception 0x02 (illegal data address) when
/// it asks for a register the slave does not have. Requests for other addresses or functions, and
/// requests with a bad CRC, get no answer.
class ModbusWindEmulator {
public:
    ModbusWindEmulator(int address, std::map<int, std::uint16_t> registers);
    ~ModbusWindEmulator();

    ModbusWindEmulator(const ModbusWindEmulator&) = delete;
    ModbusWindEmulator& operator=(const ModbusWindEmulator&) = delete;

    /// The device the driver opens.
    const std::string& devicePath() const { return _pty.devicePath(); }

    /// Every request received, as "slave function first count", or "bad CRC".
    std::vector<std::string> requests() const;

private:
    void serve();
    void answer(const std::string& frame);

    const int _address;
    const std::map<int, std::uint16_t> _registers;
    testing::PseudoTerminal _pty;
    mutable std::mutex _mutex;
    std::vector<std::string> _requests;
    std::atomic<bool> _stop{false};
    std::thread _thread;
};

}  // namespace citysense::modbus_wind
