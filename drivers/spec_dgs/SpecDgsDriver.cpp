// The SPEC Sensors DGS digital gas module (968-xxx), polled over its UART: every read sends "\r"
// and parses the one line the module answers (DgsLine.h). See README.md.

#include "DgsLine.h"

#include <citysense/Export.h>
#include <citysense/bus/Serial.h>

#include <Poco/Logger.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace citysense::spec_dgs {

namespace {

/// The modules citysense has a quantity for, and the measurement range SPEC gives for each (DGS-NO2
/// 968-043: 0-5 ppm, DGS-SO2 968-038: 0-20 ppm; not checked against the datasheets: see README.md).
struct Gas {
    const char* name;
    Quantity quantity;
    double maxPpb;
};

const Gas kGases[] = {
    {"no2", Quantity::NO2, 5000.0},
    {"so2", Quantity::SO2, 20000.0},
};

/// The module's own temperature sensor: the intermittent operating range the DGS-IAQ 968-040 datasheet gives.
constexpr double kMinTemperature = -30.0;
constexpr double kMaxTemperature = 55.0;

/// An answer is about 70 bytes; a longer run without a line end is not the module talking.
constexpr std::size_t kMaxLine = 256;

bool isBlankLine(const std::string& line) {
    return line.find_first_not_of(" \t\r\n") == std::string::npos;
}

/// Serial numbers compare as numbers: "012345678901" is "12345678901".
std::string withoutLeadingZeros(const std::string& digits) {
    const std::size_t first = digits.find_first_not_of('0');
    return first == std::string::npos ? "0" : digits.substr(first);
}

const Gas& gasByName(const std::string& name) {
    const auto found =
        std::find_if(std::begin(kGases), std::end(kGases), [&](const Gas& gas) { return name == gas.name; });
    if (found == std::end(kGases))
        throw OptionError("gas", "'" + name + "' is not a gas of this driver");  // the table allows none
    return *found;
}

std::string checkedSerial(const std::string& serial) {
    if (serial.find_first_not_of("0123456789") != std::string::npos)
        throw OptionError("serial",
                          "'" + serial + "' is not a serial number: digits only, as the module sends it");
    return serial;
}

}  // namespace

class SpecDgsDriver : public Driver {
public:
    const OptionTable& options() const override {
        static const OptionTable table = {
            Option::string("port", "",
                           "Serial device of the module, e.g. /dev/ttyUSB0 or /dev/serial/by-id/...")
                .mandatory(),
            Option::choice("gas", {"no2", "so2"}, "", "The gas of the module: no2 (DGS-NO2) or so2 (DGS-SO2)")
                .mandatory(),
            Option::choice("baud", supportedBaudRates(), "9600", "Baud rate of the module's UART (8N1)"),
            Option::duration("timeout", "2s", "How long a read waits for the module's answer")
                .range(0.01, 60),
            Option::string("serial", "",
                           "The module's serial number, as it sends it: an answer from any other module is a "
                           "fault; unset: any module"),
            Option::boolean("report_environment", "false",
                            "Also report the module's own temperature and humidity readings"),
            Option::duration("warm_up", "1h",
                             "Gas readings of a module powered for less than this are flagged warming_up; "
                             "0: never")
                .range(0, 7 * 86400),
        };
        return table;
    }

    void configure(const Options& options) override {
        _path = options.getString("port");
        _gas = &gasByName(options.getString("gas"));
        _settings.baud = std::stoi(options.getString("baud"));
        _timeout = options.getDuration("timeout");
        _serial = options.has("serial") ? checkedSerial(options.getString("serial")) : std::string();
        _reportEnvironment = options.getBool("report_environment");
        _warmUpSeconds = options.getDuration("warm_up") / kMicrosPerSecond;
    }

    std::vector<Channel> channels() const override {
        std::vector<Channel> channels = {{_gas->quantity, 0.0, _gas->maxPpb}};
        if (_reportEnvironment) {
            channels.push_back({Quantity::Temperature, kMinTemperature, kMaxTemperature});
            channels.push_back({Quantity::Humidity, 0.0, 100.0});
        }
        return channels;
    }

    void open() override {
        _port = std::make_unique<SerialPort>(_path, _settings);
        _announced = false;
    }

    void close() override { _port.reset(); }

    void read(SampleBatch& out) override {
        const std::string line = exchange();
        const DgsParse parsed = parseDgsLine(line);
        if (!parsed.reading)
            throw std::runtime_error(_path + ": unreadable answer " + quoteText(line) + ": " + parsed.error);
        const DgsReading& reading = *parsed.reading;
        checkModule(reading.serial);

        const Micros now = nowMicros();
        const bool warmingUp = reading.uptimeSeconds() < _warmUpSeconds;
        out.push_back(makeSample(_gas->quantity, static_cast<double>(reading.ppb), now,
                                 warmingUp ? QualityWarmingUp : QualityOk));
        if (_reportEnvironment) {
            out.push_back(
                makeSample(Quantity::Temperature, static_cast<double>(reading.temperature), now, QualityOk));
            out.push_back(
                makeSample(Quantity::Humidity, static_cast<double>(reading.humidity), now, QualityOk));
        }
    }

private:
    /// Asks the module for a reading and returns its answer line. A port that fails is closed, so that
    /// the next read opens it afresh; a module that does not answer leaves the port open.
    std::string exchange() {
        if (!_port)
            open();
        try {
            _port->discardInput();  // stale answers, continuous-mode output, boot messages
            _port->write("\r");
            const Micros deadline = steadyMicros() + _timeout;
            for (;;) {
                const auto line =
                    _port->readUntil('\n', std::max<Micros>(deadline - steadyMicros(), 0), kMaxLine);
                if (!line)
                    throw std::runtime_error(_path + ": no answer within " + formatDuration(_timeout));
                if (!isBlankLine(*line))
                    return *line;
            }
        } catch (const BusError&) {
            _port.reset();
            throw;
        }
    }

    void checkModule(const std::string& serial) {
        if (!_serial.empty() && withoutLeadingZeros(serial) != withoutLeadingZeros(_serial))
            throw std::runtime_error(_path + ": module " + serial + " answered, but serial = " + _serial +
                                     " is configured (another module on this port?)");
        if (!_announced) {
            logger().information("module " + serial + " answering on " + _path);
            _announced = true;
        }
    }

    std::string _path;
    const Gas* _gas = &kGases[0];
    SerialSettings _settings;
    Micros _timeout = 0;
    std::string _serial;
    bool _reportEnvironment = false;
    std::int64_t _warmUpSeconds = 0;
    std::unique_ptr<SerialPort> _port;
    bool _announced = false;
};

}  // namespace citysense::spec_dgs

using citysense::spec_dgs::SpecDgsDriver;

CITYSENSE_DRIVER(SpecDgsDriver, "spec_dgs", "1.0.0",
                 "SPEC Sensors DGS digital NO2/SO2 module on a serial port")
