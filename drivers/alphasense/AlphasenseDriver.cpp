// The alphasense driver: one Alphasense NO2-B43F or SO2-B4 cell on an Individual Sensor Board, its WE
// and AE outputs read through an ADS1115. This file turns options into a Correction (Aan803.h, the
// chemistry) and two ADC conversions into a sample; the ADC protocol is the SDK's Ads1115.

#include "Aan803.h"

#include <citysense/Export.h>
#include <citysense/Format.h>
#include <citysense/LatestReadings.h>
#include <citysense/chips/Ads1115.h>

#include <Poco/Logger.h>

#include <cmath>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace citysense::alphasense {

namespace {

/// The certificate's zeros are measured at 20 °C: the temperature assumed while no usable station
/// temperature is at hand, unless `temperature` says otherwise.
constexpr double kCalibrationCelsius = 20.0;

std::string describeStation(const Station& station) {
    return station.system + "/" + station.city + "/" + station.street;
}

/// "sensor_fault, simulated"
std::string describeQuality(std::uint16_t quality) {
    std::string text;
    for (const auto& name : qualityNames(quality))
        text += (text.empty() ? "" : ", ") + name;
    return text;
}

/// With `temperature_source = station`: which temperature the correction uses, and the flag its
/// samples carry.
enum class StationTemperature {
    NotRead,  ///< no read yet
    Awaited,  ///< no usable station temperature seen yet: `temperature`, flagged warming_up
    InUse,    ///< the station's latest temperature, no flag
    Lost,     ///< one was usable, the latest is not: `temperature`, flagged sensor_fault
};

}  // namespace

class AlphasenseDriver : public Driver {
public:
    const OptionTable& options() const override {
        static const OptionTable table = {
            Option::choice("cell", cellNames(), "",
                           "The cell on the ISB: no2_b43f (NO2-B43F) or so2_b4 (SO2-B4)")
                .mandatory(),
            Option::string("bus", "/dev/i2c-1", "The I2C bus of the ADS1115"),
            Option::integer("address", "0x48",
                            "I2C address of the ADS1115 (ADDR to GND 0x48, VDD 0x49, SDA 0x4a, SCL 0x4b)")
                .range(0x48, 0x4B),
            Option::integer("we_channel", "0", "ADS1115 input (AIN0..AIN3) wired to the ISB's WE output")
                .range(0, 3),
            Option::integer("ae_channel", "1", "ADS1115 input (AIN0..AIN3) wired to the ISB's AE output")
                .range(0, 3),
            Option::choice("full_scale", Ads1115::fullScaleChoices(), "4.096",
                           "ADS1115 full-scale range in volts: above the highest electrode output"),
            Option::number("we_zero_electronic", "", "WEe: the ISB's WE electronic zero (certificate), mV")
                .mandatory(),
            Option::number("ae_zero_electronic", "", "AEe: the ISB's AE electronic zero (certificate), mV")
                .mandatory(),
            Option::number("we_zero_sensor", "",
                           "WE0: the sensor's WE zero (certificate), mV; needed by algorithms 2, 3 and 4"),
            Option::number("ae_zero_sensor", "",
                           "AE0: the sensor's AE zero (certificate), mV; needed by algorithms 2 and 3"),
            Option::number("sensitivity", "", "The WE sensitivity (certificate), mV/ppb, above 0")
                .atLeast(0)
                .mandatory(),
            Option::integer("algorithm", "1", "AAN 803 background correction algorithm, 1 to 4").range(1, 4),
            Option::choice("temperature_source", {"fixed", "station"}, "fixed",
                           "Cell temperature: fixed (the temperature option) or station (the latest "
                           "temperature reading of this station)"),
            Option::number("temperature", "",
                           "Cell temperature in Cel: required when fixed; with station, assumed while the "
                           "station has no usable temperature (default 20)")
                .range(-30, 50),
            Option::duration("temperature_max_age", "10m",
                             "With station: the oldest station temperature used; an older one is stale")
                .atLeast(1),
        };
        return table;
    }

    void configure(const Options& options) override {
        const Cell& cell = *cellByName(options.getString("cell"));  // the table allows cell names only
        _busPath = options.getString("bus");
        _address = static_cast<std::uint8_t>(options.getInt("address"));
        _weChannel = static_cast<int>(options.getInt("we_channel"));
        _aeChannel = static_cast<int>(options.getInt("ae_channel"));
        if (_weChannel == _aeChannel)
            throw OptionError("ae_channel", "AIN" + std::to_string(_aeChannel) +
                                                " is we_channel too: WE and AE need an input each");
        _fullScale = Ads1115::fullScaleByName(options.getString("full_scale"));
        _correction.emplace(cell, static_cast<int>(options.getInt("algorithm")), calibrationFrom(options));

        _fromStation = options.getString("temperature_source") == "station";
        if (!_fromStation && !options.has("temperature"))
            throw OptionError("temperature", "is required with temperature_source = fixed");
        _temperature = options.has("temperature") ? options.getNumber("temperature") : kCalibrationCelsius;
        _temperatureMaxAge = options.getDuration("temperature_max_age");
        if (_fromStation)
            latestReadings().watch(Quantity::Temperature);
    }

    std::vector<Channel> channels() const override {
        const Cell& cell = _correction->cell();
        return {{cell.quantity, cell.minPpb, cell.maxPpb}};
    }

    void open() override {
        _adc.emplace(I2cDevice(openI2cBus(_busPath), _address), _fullScale);
        const Cell& cell = _correction->cell();
        logger().information(std::string(cell.model) + " on " + _adc->device().describe() + ": WE AIN" +
                             std::to_string(_weChannel) + ", AE AIN" + std::to_string(_aeChannel) + ", ±" +
                             formatFixed(_fullScale, 3) + " V, algorithm " +
                             std::to_string(_correction->algorithm()) + ", temperature " +
                             (_fromStation
                                  ? "from the station, at most " + formatDuration(_temperatureMaxAge) + " old"
                                  : formatNumber(_temperature) + " Cel"));
    }

    void close() override { _adc.reset(); }

    void read(SampleBatch& out) override {
        if (!_adc)
            throw std::logic_error(instanceName() + ": read before open");
        const double we = _adc->readVolts(_weChannel);
        const double ae = _adc->readVolts(_aeChannel);
        std::uint16_t quality = QualityOk;
        if (clipped(we) || clipped(ae))
            quality |= QualityOutOfRange;  // the input is beyond the ADC's range: the value is a bound
        const double celsius = cellTemperature(quality);
        out.push_back(makeSample(_correction->cell().quantity,
                                 _correction->ppb(we * 1000.0, ae * 1000.0, celsius), quality));
    }

private:
    static Calibration calibrationFrom(const Options& options) {
        const int algorithm = static_cast<int>(options.getInt("algorithm"));
        Calibration calibration;
        calibration.weElectronicZero = options.getNumber("we_zero_electronic");
        calibration.aeElectronicZero = options.getNumber("ae_zero_electronic");
        calibration.sensitivity = options.getNumber("sensitivity");
        if (calibration.sensitivity == 0.0)
            throw OptionError("sensitivity", "must be above 0 mV/ppb");
        const auto sensorZero = [&](const char* key, bool used) {
            if (used && !options.has(key))
                throw OptionError(key, "is required by algorithm " + std::to_string(algorithm));
            return options.has(key) ? options.getNumber(key) : 0.0;
        };
        calibration.weSensorZero = sensorZero("we_zero_sensor", usesWeSensorZero(algorithm));
        calibration.aeSensorZero = sensorZero("ae_zero_sensor", usesAeSensorZero(algorithm));
        if (algorithm == 2 && calibration.aeSensorZero == 0.0)
            throw OptionError("ae_zero_sensor", "algorithm 2 divides by AE0: it cannot be 0");
        return calibration;
    }

    /// A conversion at the top code: the input is at or beyond the full-scale range.
    bool clipped(double volts) const { return volts >= _fullScale * 32767.0 / 32768.0; }

    /// The fixed temperature, or the station's latest if it is usable. Otherwise the configured (or
    /// calibration) temperature, the sample flagged warming_up if the station never had a usable
    /// temperature and sensor_fault if it had one. Each change between these is logged once.
    double cellTemperature(std::uint16_t& quality) {
        if (!_fromStation)
            return _temperature;
        const std::optional<Sample> latest = latestReadings().latest(station(), Quantity::Temperature);
        const std::string problem = unusableBecause(latest);
        const StationTemperature previous = _stationTemperature;
        if (problem.empty()) {
            _stationTemperature = StationTemperature::InUse;
            if (previous != StationTemperature::InUse)
                logger().information("temperature from " + describeStation(station()) + " in use (" +
                                     formatNumber(latest->value) + " Cel)" + noLongerFlagged(previous));
            return latest->value;
        }
        const bool lost = previous == StationTemperature::InUse || previous == StationTemperature::Lost;
        _stationTemperature = lost ? StationTemperature::Lost : StationTemperature::Awaited;
        quality |= lost ? QualitySensorFault : QualityWarmingUp;
        if (_stationTemperature != previous)
            logger().warning((lost ? "temperature from " + describeStation(station()) + " no longer usable ("
                                   : "no usable temperature from " + describeStation(station()) + " yet (") +
                             problem + "): corrected for " + formatNumber(_temperature) +
                             " Cel and flagged " + (lost ? "sensor_fault" : "warming_up") +
                             " until a usable one arrives");
        return _temperature;
    }

    /// Why the station's latest temperature cannot correct a reading; empty if it can.
    std::string unusableBecause(const std::optional<Sample>& latest) const {
        if (!latest)
            return "none delivered";
        if (latest->quality != QualityOk)
            return "the latest is flagged " + describeQuality(latest->quality);
        if (!std::isfinite(latest->value))
            return "the latest is " + formatNumber(latest->value);
        const Micros age = nowMicros() - latest->time;
        if (age > _temperatureMaxAge)
            return "the latest is " + formatDuration(age - age % kMicrosPerSecond) +
                   " old, beyond temperature_max_age " + formatDuration(_temperatureMaxAge);
        return {};
    }

    static std::string noLongerFlagged(StationTemperature previous) {
        if (previous == StationTemperature::Awaited)
            return ": samples are no longer flagged warming_up";
        if (previous == StationTemperature::Lost)
            return ": samples are no longer flagged sensor_fault";
        return {};
    }

    std::string _busPath;
    std::uint8_t _address = 0x48;
    int _weChannel = 0;
    int _aeChannel = 1;
    double _fullScale = 4.096;
    std::optional<Correction> _correction;
    bool _fromStation = false;
    double _temperature = kCalibrationCelsius;
    Micros _temperatureMaxAge = 0;
    StationTemperature _stationTemperature = StationTemperature::NotRead;
    std::optional<Ads1115> _adc;
};

}  // namespace citysense::alphasense

using citysense::alphasense::AlphasenseDriver;

CITYSENSE_DRIVER(AlphasenseDriver, "alphasense", "1.0.0",
                 "Alphasense NO2-B43F / SO2-B4 cell on an ISB, read through an ADS1115, AAN 803 corrected")
