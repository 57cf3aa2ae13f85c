// The wind_vane driver: a resistor-network wind vane (SparkFun weather meter) read through an ADS1115.
// This file turns options into a Vane (Vane.h, the divider table) and one ADC conversion into a
// direction; the ADC protocol is the SDK's Ads1115.

#include "Vane.h"

#include <citysense/Export.h>
#include <citysense/Format.h>
#include <citysense/chips/Ads1115.h>

#include <Poco/Logger.h>

#include <algorithm>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace citysense::wind_vane {

namespace {

std::string volts(double value) {
    return formatFixed(value, 3) + " V";
}

std::string degrees(double value) {
    return formatNumber(value) + " deg";
}

}  // namespace

class WindVaneDriver : public Driver {
public:
    const OptionTable& options() const override {
        static const OptionTable table = {
            Option::string("bus", "/dev/i2c-1", "The I2C bus of the ADS1115"),
            Option::integer("address", "0x48",
                            "I2C address of the ADS1115 (ADDR to GND 0x48, VDD 0x49, SDA 0x4a, SCL 0x4b)")
                .range(0x48, 0x4B),
            Option::integer("channel", "0", "ADS1115 input (AIN0..AIN3) wired to the vane").range(0, 3),
            Option::choice(
                "full_scale", Ads1115::fullScaleChoices(), "4.096",
                "ADS1115 full-scale range in volts: above the highest vane voltage plus tolerance"),
            Option::number(
                "supply_voltage", "3.3",
                "Volts on the pull-up (the ADS1115's supply: its inputs must stay below it + 0.3 V)")
                .range(1, 5.5),
            Option::number("pull_up", "10000", "The pull-up resistor from the ADC input to the supply, ohms")
                .range(100, 1000000),
            Option::number("tolerance", "0.1",
                           "Volts a reading may be from the nearest direction's voltage before it is flagged "
                           "sensor_fault")
                .range(0.001, 1),
            Option::number("offset", "0", "Degrees added to every direction for the mounting orientation")
                .range(-360, 360),
        };
        return table;
    }

    void configure(const Options& options) override {
        _busPath = options.getString("bus");
        _address = static_cast<std::uint8_t>(options.getInt("address"));
        _channel = static_cast<int>(options.getInt("channel"));
        _fullScale = Ads1115::fullScaleByName(options.getString("full_scale"));
        _vane.emplace(options.getNumber("supply_voltage"), options.getNumber("pull_up"));
        _tolerance = options.getNumber("tolerance");
        _offset = options.getNumber("offset");

        // A vane that is unplugged reads the supply, a shorted one 0 V: both must fall outside the
        // tolerance of every direction, or they would pass for one.
        const double supply = _vane->supplyVolts();
        const double margin = std::min(_vane->lowestVolts(), supply - _vane->highestVolts());
        if (_tolerance >= margin)
            throw OptionError("tolerance", volts(_tolerance) + " would let a disconnected vane (0 V or " +
                                               volts(supply) + ") pass for a direction: must be below " +
                                               volts(margin));
        if (_fullScale <= _vane->highestVolts() + _tolerance)
            throw OptionError("full_scale",
                              "±" + volts(_fullScale) + " cannot read " + volts(_vane->highestVolts()) +
                                  " (the highest direction) plus the tolerance: choose a larger range");
    }

    std::vector<Channel> channels() const override { return {{Quantity::WindDirection, 0.0, 360.0}}; }

    void open() override {
        _adc.emplace(I2cDevice(openI2cBus(_busPath), _address), _fullScale);
        logger().information("vane on " + _adc->device().describe() + " AIN" + std::to_string(_channel) +
                             ", ±" + volts(_fullScale) + ", supply " + volts(_vane->supplyVolts()) +
                             ", tolerance " + volts(_tolerance) + ", offset " + degrees(_offset));
    }

    void close() override { _adc.reset(); }

    void read(SampleBatch& out) override {
        if (!_adc)
            throw std::logic_error(instanceName() + ": read before open");
        const double measured = _adc->readVolts(_channel);
        const Match match = _vane->nearest(measured);
        const bool fault = !(match.distance <= _tolerance);
        if (fault != _faulty)
            logFaultChange(fault, measured, match);
        _faulty = fault;
        out.push_back(makeSample(Quantity::WindDirection, wrapDegrees(match.degrees + _offset),
                                 fault ? QualitySensorFault : QualityOk));
    }

private:
    void logFaultChange(bool fault, double measured, const Match& match) {
        if (fault)
            logger().warning("the vane reads " + volts(measured) + ", " + volts(match.distance) +
                             " from the nearest direction (" + degrees(match.degrees) + " at " +
                             volts(match.volts) + "): disconnected or miswired? Flagged sensor_fault");
        else
            logger().information("the vane reads " + volts(measured) + " again, a direction (" +
                                 degrees(match.degrees) + ")");
    }

    std::string _busPath;
    std::uint8_t _address = 0x48;
    int _channel = 0;
    double _fullScale = 4.096;
    std::optional<Vane> _vane;
    double _tolerance = 0.1;
    double _offset = 0.0;
    bool _faulty = false;
    std::optional<Ads1115> _adc;
};

}  // namespace citysense::wind_vane

using citysense::wind_vane::WindVaneDriver;

CITYSENSE_DRIVER(WindVaneDriver, "wind_vane", "1.0.0",
                 "Resistor-network wind vane (SparkFun weather meter) read through an ADS1115")
