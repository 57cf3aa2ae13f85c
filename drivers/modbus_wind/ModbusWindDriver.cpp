// Cheap RS485 Modbus RTU anemometers and wind vanes, read through libmodbus. These sensors keep the
// wind speed and direction in 16-bit registers (commonly: holding register 0x0000 = m/s x 10,
// 0x0001 = degrees; 4800 baud 8N1, address 1). Each read asks for the configured registers (one
// request when they are adjacent), scales the counts and reports wind_speed and wind_direction.

#include <citysense/Export.h>
#include <citysense/bus/BusError.h>

#include <Poco/Logger.h>

#include <modbus.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace citysense::modbus_wind {

namespace {

/// Modbus RTU frames are binary: every character has 8 data bits.
constexpr int kDataBits = 8;

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

std::string hex(int address) {
    char text[8];
    std::snprintf(text, sizeof text, "0x%04X", static_cast<unsigned>(address));
    return text;
}

/// Wraps an angle into [0, 360).
double wrapDegrees(double degrees) {
    const double wrapped = std::fmod(degrees, 360.0);
    return wrapped < 0 ? wrapped + 360.0 : wrapped;
}

struct ContextDeleter {
    void operator()(modbus_t* context) const {
        ::modbus_close(context);
        ::modbus_free(context);
    }
};

using Context = std::unique_ptr<modbus_t, ContextDeleter>;

/// One read request: `count` (1 or 2) registers from `address`.
struct Request {
    int address;
    int count;
};

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
        _port = options.getString("port");
        if (_port.empty())
            throw OptionError("port", "is empty: give the serial device, e.g. /dev/ttyUSB0");
        const std::int64_t baud = options.getInt("baud");
        if (std::find(baudRates().begin(), baudRates().end(), baud) == baudRates().end())
            throw OptionError("baud", std::to_string(baud) + " is not one of " + baudRateList());
        _baud = static_cast<int>(baud);
        _parity = options.getString("parity")[0];
        _stopBits = static_cast<int>(options.getInt("stop_bits"));
        _slave = static_cast<int>(options.getInt("slave"));
        _speedRegister = registerOption(options, "speed_register");
        _directionRegister = registerOption(options, "direction_register");
        _speedScale = positiveNumber(options, "speed_scale");
        _directionScale = positiveNumber(options, "direction_scale");
        _inputRegisters = options.getString("function") == "input";
        _rs485 = options.getBool("rs485");
        _timeout = options.getDuration("timeout");
        planRequests();
    }

    std::vector<Channel> channels() const override {
        std::vector<Channel> channels;
        if (_speedRegister) {
            const double highest = 65535 * _speedScale;
            channels.push_back(
                {Quantity::WindSpeed, 0.0, std::min(highest, info(Quantity::WindSpeed).physicalMax)});
        }
        if (_directionRegister)
            channels.push_back({Quantity::WindDirection, 0.0, 360.0});
        return channels;
    }

    void open() override {
        Context context(::modbus_new_rtu(_port.c_str(), _baud, _parity, kDataBits, _stopBits));
        if (!context)
            throw failure("set up", errno);
        if (::modbus_set_slave(context.get(), _slave) < 0)
            throw failure("set address", errno);
        if (::modbus_connect(context.get()) < 0)
            throw failure("open", errno);
        const auto seconds = static_cast<std::uint32_t>(_timeout / kMicrosPerSecond);
        const auto micros = static_cast<std::uint32_t>(_timeout % kMicrosPerSecond);
        if (::modbus_set_response_timeout(context.get(), seconds, micros) < 0)
            throw failure("set response timeout", errno);
        if (_rs485 && ::modbus_rtu_set_serial_mode(context.get(), MODBUS_RTU_RS485) < 0)
            throw failure("switch to RS485 mode", errno);
        _context = std::move(context);
        logger().information("reading " + _port + " slave " + std::to_string(_slave) + " at " +
                             std::to_string(_baud) + " baud");
    }

    void close() override { _context.reset(); }

    void read(SampleBatch& out) override {
        if (!_context)
            throw std::logic_error(instanceName() + ": read() before open()");
        std::map<int, std::uint16_t> registers;  // by address
        for (const Request& request : _requests) {
            std::uint16_t values[2] = {};
            fetch(request, values);
            for (int i = 0; i < request.count; ++i)
                registers[request.address + i] = values[i];
        }
        const Micros now = nowMicros();
        if (_speedRegister) {
            const double speed = registers.at(*_speedRegister) * _speedScale;
            out.push_back(makeSample(Quantity::WindSpeed, speed, now, QualityOk));
        }
        if (_directionRegister) {
            const double direction = registers.at(*_directionRegister) * _directionScale;
            out.push_back(makeSample(Quantity::WindDirection, wrapDegrees(direction), now, QualityOk));
        }
    }

private:
    /// One request for both registers when they are adjacent, else one each.
    void planRequests() {
        _requests.clear();
        if (!_speedRegister && !_directionRegister)
            throw OptionError("speed_register", "neither speed_register nor direction_register is set");
        if (_speedRegister && _directionRegister) {
            if (*_speedRegister == *_directionRegister)
                throw OptionError("direction_register", "is the same register as speed_register");
            const int low = std::min(*_speedRegister, *_directionRegister);
            const int high = std::max(*_speedRegister, *_directionRegister);
            if (high == low + 1) {
                _requests.push_back({low, 2});
                return;
            }
        }
        for (const auto& address : {_speedRegister, _directionRegister}) {
            if (address)
                _requests.push_back({*address, 1});
        }
    }

    /// Reads the registers of `request` into `values`; throws naming the request on any error.
    void fetch(const Request& request, std::uint16_t* values) {
        // Bytes still waiting (a late answer to a request that timed out) are not this request's answer.
        ::modbus_flush(_context.get());
        const int got =
            _inputRegisters
                ? ::modbus_read_input_registers(_context.get(), request.address, request.count, values)
                : ::modbus_read_registers(_context.get(), request.address, request.count, values);
        if (got < 0) {
            std::string what = _inputRegisters ? "read input register" : "read holding register";
            what += request.count > 1
                        ? "s " + hex(request.address) + "-" + hex(request.address + request.count - 1)
                        : " " + hex(request.address);
            throw failure(what, errno);
        }
    }

    /// "/dev/ttyUSB0 slave 1: read holding registers 0x0000-0x0001: Illegal data address"
    BusError failure(const std::string& what, int error) const {
        return BusError(_port + " slave " + std::to_string(_slave) + ": " + what + ": " +
                        ::modbus_strerror(error));
    }

    std::string _port;
    int _baud = 4800;
    char _parity = 'N';
    int _stopBits = 1;
    int _slave = 1;
    std::optional<int> _speedRegister;
    std::optional<int> _directionRegister;
    double _speedScale = 0.1;
    double _directionScale = 1.0;
    bool _inputRegisters = false;
    bool _rs485 = false;
    Micros _timeout = kMicrosPerSecond;
    std::vector<Request> _requests;
    Context _context;
};

}  // namespace citysense::modbus_wind

using citysense::modbus_wind::ModbusWindDriver;

CITYSENSE_DRIVER(ModbusWindDriver, "modbus_wind", "1.0.0",
                 "RS485 Modbus RTU anemometers and wind vanes: wind speed and direction registers")
