// The BME280/BMP280 chip logic over an I2cDevice: identify, reset, read the calibration, write the
// settings, take forced-mode measurements. It knows registers and the datasheet's timing, not buses: the
// i2c backend hands it a device on /dev/i2c-N, the tests one on an emulated bus.
#pragma once

#include "Bme280Compensation.h"

#include <citysense/bus/I2c.h>

#include <chrono>
#include <cstdint>
#include <optional>

namespace citysense::bme280 {

/// What tells the chips apart (like the chip_info tables of Linux's bmp280 driver).
struct ChipVariant {
    std::uint8_t id;
    const char* name;
    bool humidity;            ///< has ctrl_hum, the humidity calibration and the humidity data registers
    std::size_t burstLength;  ///< data registers from 0xF7
};

/// Settings as register codes: osrs_x 0 = skipped, 1..5 = x1..x16; filter 0 = off, 1..4 = 2..16.
struct ChipSettings {
    std::uint8_t osrsT = 1;
    std::uint8_t osrsP = 1;
    std::uint8_t osrsH = 1;
    std::uint8_t filter = 0;
};

/// One compensated measurement. Temperature is always measured: pressure and humidity compensation need
/// its t_fine.
struct Measurement {
    double temperature = 0.0;        ///< °C
    std::optional<double> pressure;  ///< Pa; none when skipped
    std::optional<double> humidity;  ///< %RH; none when skipped or on a BMP280
};

class Bme280Chip {
public:
    /// `settings.osrsT` must not be 0 (std::invalid_argument): see Measurement.
    Bme280Chip(I2cDevice device, const ChipSettings& settings);

    /// Checks the chip id, resets the chip, reads its calibration and writes the settings, leaving it in
    /// sleep mode. Throws BusError when a transfer fails, std::runtime_error for a wrong chip or a chip
    /// that does not finish its reset.
    void init();

    /// The chip found by init().
    const ChipVariant& variant() const { return *_variant; }
    const Calibration& calibration() const { return _calibration; }

    /// One forced-mode measurement. Throws BusError when a transfer fails, std::runtime_error when the
    /// chip does not finish or returns a skipped channel's value for a channel it was told to measure.
    Measurement measure();

    /// The longest a measurement with `settings` takes (datasheet section 9.1).
    static std::chrono::microseconds maxMeasurementTime(const ChipSettings& settings);

private:
    void identify();
    void reset();
    void readCalibration();
    void writeSettings();
    std::uint8_t ctrlMeas(std::uint8_t mode) const;
    void waitWhileMeasuring();
    void checkNotSkipped(const RawReading& raw);

    I2cDevice _device;
    ChipSettings _settings;
    const ChipVariant* _variant = nullptr;
    Calibration _calibration;
};

}  // namespace citysense::bme280
