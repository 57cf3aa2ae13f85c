// Cheap RS485 Modbus RTU anemometers and wind vanes, read through libmodbus. These sensors keep the
// wind speed and direction in 16-bit registers (commonly: holding register 0x0000 = m/s x 10,
// 0x0001 = degrees; 4800 baud 8N1, address 1). This file turns options into the serial settings and
// the register map, and readings into wind_speed and wind_direction samples; WindRegisters asks for
// the registers and scales them, through a ModbusMaster that LibmodbusMaster implements.

#include "LibmodbusMaster.h"
#include "WindRegisters.h"

#include <citysense/Export.h>

#include <Poco/Logger.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace citysense::modbus_wind {

namespace {

/// The rates libmodbus 3.1.6 maps to termios speeds that these sensors use; libmodbus quietly
/// opens any other rate at 9600 baud, so the driver refuses it instead.
const std::vector<std::int64_t>& baudRates() {
    static const std::vector<std::int64_t> rates = {1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200};
    return rates;
}

std::string baudRateList() {
    std::string list;
    for (const auto rate : baudRates())
        list += (list.empty() ? "" : ", ") + std::to_string(rate);
    return list;
}

/// A register option: the address, or nothing for -1.
std::optional<int> registerOption(const Options& options, const std::string& key) {
    const std::int64_t address = options.getInt(key);
    if (address < 0)
        return std::nullopt;
    return static_cast<int>(address);
}

double positiveNumber(const Options& options, const std::string& key) {
    const double value = options.getNumber(key);
    if (value <= 0)
        throw OptionError(key, "must be greater than 0");
    return value;
}

}  // namespace

class ModbusWindDriver : public Driver {
public:
    const OptionTable& options() const override {
        static const OptionTable table = {
            Option::string("port", "", "Serial device of the RS485 adapter, e.g. /dev/ttyUSB0").mandatory(),
            Option::integer("baud", "4800", "Bit rate: " + baudRateList()),
            Option::choice("parity", {"N", "E", "O"}, "N", "Parity: N (none), E (even) or O (odd)"),
            Option::integer("stop_bits", "1", "Stop bits per character").range(1, 2),
            Option::integer("slave", "1", "Modbus address of the sensor").range(1, 247),
            Option::integer("speed_register", "0x0000", "Register holding the wind speed; -1: none")
                .range(-1, 65535),
            Option::number("speed_scale", "0.1", "Wind speed in m/s per register count").atLeast(0),
            Option::integer("direction_register", "0x0001", "Register holding the wind direction; -1: none")
                .range(-1, 65535),
            Option::number("direction_scale", "1.0",
                           "Wind direction in degrees per register count (45 for a 0..7 sector number)")
                .atLeast(0),
            Option::choice("function", {"holding", "input"}, "holding",
                           "Register kind: holding (function 0x03) or input (function 0x04)"),
            Option::boolean("rs485", "false",
                            "Switch the port to kernel RS485 mode (for UARTs whose driver toggles the "
                            "transceiver); adapters that switch direction themselves need false"),
            Option::duration("timeout", "1s", "Longest wait for the sensor's answer").range(0.001, 60),
        };
        return table;
    }

    void configure(const Options& options) override {
        _rtu.port = options.getString("port");
        if (_rtu.port.empty())
            throw OptionError("port", "is empty: give the serial device, e.g. /dev/ttyUSB0");
        const std::int64_t baud = options.getInt("baud");
        if (std::find(baudRates().begin(), baudRates().end(), baud) == baudRates().end())
            throw OptionError("baud", std::to_string(baud) + " is not one of " + baudRateList());
        _rtu.baud = static_cast<int>(baud);
        _rtu.parity = options.getString("parity")[0];
        _rtu.stopBits = static_cast<int>(options.getInt("stop_bits"));
        _rtu.slave = static_cast<int>(options.getInt("slave"));
        _rtu.rs485 = options.getBool("rs485");
        _rtu.timeout = options.getDuration("timeout");
        RegisterMap map;
        map.kind = options.getString("function") == "input" ? RegisterKind::Input : RegisterKind::Holding;
        map.speedRegister = registerOption(options, "speed_register");
        map.directionRegister = registerOption(options, "direction_register");
        map.speedScale = positiveNumber(options, "speed_scale");
        map.directionScale = positiveNumber(options, "direction_scale");
        _registers.emplace(map);
    }

    std::vector<Channel> channels() const override {
        std::vector<Channel> channels;
        const RegisterMap& map = _registers->map();
        if (map.speedRegister) {
            const double highest = 65535 * map.speedScale;
            channels.push_back(
                {Quantity::WindSpeed, 0.0, std::min(highest, info(Quantity::WindSpeed).physicalMax)});
        }
        if (map.directionRegister)
            channels.push_back({Quantity::WindDirection, 0.0, 360.0});
        return channels;
    }

    void open() override {
        _master = std::make_unique<LibmodbusMaster>(_rtu);
        logger().information("reading " + _rtu.port + " slave " + std::to_string(_rtu.slave) + " at " +
                             std::to_string(_rtu.baud) + " baud");
    }

    void close() override { _master.reset(); }

    void read(SampleBatch& out) override {
        if (!_master)
            throw std::logic_error(instanceName() + ": read() before open()");
        const WindReading reading = _registers->read(*_master);
        const Micros now = nowMicros();
        if (reading.speed)
            out.push_back(makeSample(Quantity::WindSpeed, *reading.speed, now, QualityOk));
        if (reading.direction)
            out.push_back(makeSample(Quantity::WindDirection, *reading.direction, now, QualityOk));
    }

private:
    RtuSettings _rtu;
    std::optional<WindRegisters> _registers;
    std::unique_ptr<ModbusMaster> _master;
};

}  // namespace citysense::modbus_wind

using citysense::modbus_wind::ModbusWindDriver;

CITYSENSE_DRIVER(ModbusWindDriver, "modbus_wind", "1.0.0",
                 "RS485 Modbus RTU anemometers and wind vanes: wind speed and direction registers")
