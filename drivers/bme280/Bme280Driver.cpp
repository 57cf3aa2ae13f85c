// The bme280 driver: Bosch BME280 (temperature, humidity, pressure) and BMP280 (temperature, pressure),
// read through the chip logic on an I2C bus (backend `i2c`, Bme280Chip) or through the kernel's own
// driver (backend `iio`). This file turns options into a backend and readings into samples. See README.md.

#include "Bme280Backend.h"
#include "Bme280Registers.h"

#include <citysense/Export.h>

#include <Poco/Logger.h>

#include <algorithm>
#include <string>
#include <vector>

namespace citysense::bme280 {

namespace {

/// The choices of the oversampling and filter options; a word's index is its register code (osrs_x
/// 0..5, datasheet 5.4.3 and 5.4.5; filter 0..4, datasheet 5.4.6).
const std::vector<std::string> kOversamplings = {"off", "1", "2", "4", "8", "16"};
const std::vector<std::string> kFilters = {"off", "2", "4", "8", "16"};

std::uint8_t codeOf(const std::vector<std::string>& choices, const std::string& word) {
    return static_cast<std::uint8_t>(std::find(choices.begin(), choices.end(), word) - choices.begin());
}

/// The operating ranges of the datasheet (section 1): -40..85 °C, 300..1100 hPa, 0..100 %RH.
constexpr Channel kTemperatureChannel{Quantity::Temperature, -40.0, 85.0};
constexpr Channel kPressureChannel{Quantity::Pressure, 30000.0, 110000.0};
constexpr Channel kHumidityChannel{Quantity::Humidity, 0.0, 100.0};

const char* const kOversamplingKeys[] = {"oversampling_temperature", "oversampling_pressure",
                                         "oversampling_humidity"};

}  // namespace

class Bme280Driver : public Driver {
public:
    const OptionTable& options() const override {
        static const OptionTable table = {
            Option::choice(
                "backend", {"i2c", "iio"}, "i2c",
                "i2c: this driver talks to the chip on an I2C bus; iio: the kernel's bmp280 driver "
                "does, and this driver reads its IIO files"),
            Option::string("bus", "/dev/i2c-1", "i2c: the I2C bus device"),
            Option::integer("address", "0x76",
                            "i2c: the chip's address, 0x76 (SDO to GND) or 0x77 (SDO to VDDIO)")
                .range(0x76, 0x77),
            Option::string("iio_device", "",
                           "iio: the IIO device directory, e.g. /sys/bus/iio/devices/iio:device0"),
            Option::choice(
                "oversampling_temperature", kOversamplings, "1",
                "Temperature oversampling; off drops the temperature channel (it is still measured "
                "at x1 for pressure and humidity)"),
            Option::choice("oversampling_pressure", kOversamplings, "1",
                           "Pressure oversampling; off drops the pressure channel"),
            Option::choice("oversampling_humidity", kOversamplings, "1",
                           "Humidity oversampling; off drops the humidity channel"),
            Option::choice("filter", kFilters, "off",
                           "i2c: IIR filter coefficient for temperature and pressure"),
        };
        return table;
    }

    void configure(const Options& options) override {
        ChipSettings settings;
        settings.osrsT = codeOf(kOversamplings, options.getString("oversampling_temperature"));
        settings.osrsP = codeOf(kOversamplings, options.getString("oversampling_pressure"));
        settings.osrsH = codeOf(kOversamplings, options.getString("oversampling_humidity"));
        settings.filter = codeOf(kFilters, options.getString("filter"));
        Wanted wanted;
        wanted.temperature = settings.osrsT != kOversamplingSkipped;
        wanted.pressure = settings.osrsP != kOversamplingSkipped;
        wanted.humidity = settings.osrsH != kOversamplingSkipped;
        if (!wanted.temperature && !wanted.pressure && !wanted.humidity)
            throw OptionError("", "every oversampling is off: there is nothing to read");

        const std::string iioDevice = options.has("iio_device") ? options.getString("iio_device") : "";
        if (options.getString("backend") == "iio") {
            if (iioDevice.empty())
                throw OptionError(
                    "iio_device",
                    "backend = iio needs the device directory, e.g. /sys/bus/iio/devices/iio:device0");
            if (settings.filter != 0)
                throw OptionError("filter",
                                  "backend = iio cannot set the filter: the kernel driver configures "
                                  "the chip");
            for (const char* key : kOversamplingKeys) {
                if (options.getString(key) != "off" && options.getString(key) != "1")
                    throw OptionError(key,
                                      "with backend = iio the kernel driver sets the oversampling (its "
                                      "in_*_oversampling_ratio files): off or 1 here");
            }
            _backend = makeIioBackend(iioDevice, wanted);
        } else {
            if (!iioDevice.empty())
                throw OptionError("iio_device", "is only used with backend = iio");
            settings.osrsT = std::max<std::uint8_t>(settings.osrsT, 1);
            _backend = makeI2cBackend(options.getString("bus"),
                                      static_cast<std::uint8_t>(options.getInt("address")), settings, wanted);
        }
        _wanted = wanted;
        _hasHumidity = true;
    }

    std::vector<Channel> channels() const override {
        std::vector<Channel> channels;
        if (_wanted.temperature)
            channels.push_back(kTemperatureChannel);
        if (_wanted.pressure)
            channels.push_back(kPressureChannel);
        if (_wanted.humidity && _hasHumidity)
            channels.push_back(kHumidityChannel);
        return channels;
    }

    void open() override {
        const std::string found = _backend->open();
        const bool humidity = _backend->hasHumidity();
        if (_wanted.humidity && !humidity && _hasHumidity)
            logger().information(found + ": no humidity sensor, so no humidity channel");
        else
            logger().information(found);
        _hasHumidity = humidity;
    }

    void close() override { _backend->close(); }

    void read(SampleBatch& out) override {
        const Reading reading = _backend->read();
        const Micros now = nowMicros();
        if (reading.temperature)
            out.push_back(makeSample(Quantity::Temperature, *reading.temperature, now, QualityOk));
        if (reading.pressure)
            out.push_back(makeSample(Quantity::Pressure, *reading.pressure, now, QualityOk));
        if (reading.humidity)
            out.push_back(makeSample(Quantity::Humidity, *reading.humidity, now, QualityOk));
    }

private:
    std::unique_ptr<Backend> _backend;
    Wanted _wanted;
    bool _hasHumidity = true;  ///< false once open() found a chip without humidity
};

}  // namespace citysense::bme280

using citysense::bme280::Bme280Driver;

CITYSENSE_DRIVER(Bme280Driver, "bme280", "1.0.0",
                 "Bosch BME280/BMP280 temperature, humidity and pressure (I2C or kernel IIO)")
