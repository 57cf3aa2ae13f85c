// An emulated BME280 (or BMP280) for tests: a register map that behaves like the chip. Attach it to a
// citysense::testing::FakeI2cBus, or put it behind a fake /dev/i2c-N. Not part of the plugin.
//
// What it does, after the datasheet (section 5):
// - 0xD0 answers the chip id; 0x88..0xA1 and 0xE1..0xE7 hold the calibration set with setCalibration().
// - 0xB6 written to 0xE0 resets it: control registers and data registers back to their reset values,
//   status.im_update set for the next setImUpdateReads() status reads. brownOut() does the same unasked.
// - ctrl_hum takes effect with the next write to ctrl_meas. A ctrl_meas write with mode 01 (forced)
//   starts a measurement: status.measuring is set for the next setMeasuringReads() status reads; then the
//   ADC values set with setAdc() appear at 0xF7.. (0x80000 / 0x8000 for a channel whose oversampling is
//   0) and the mode returns to sleep.
// - Writes are register/value pairs (datasheet 6.2.1); writes to read-only registers change nothing.
// - Normal mode (11) is not emulated.
#pragma once

#include <citysense/testing/FakeI2cBus.h>

#include <cstdint>
#include <utility>
#include <vector>

namespace citysense::bme280 {

class Bme280Emulator : public testing::RegisterMapDevice {
public:
    /// A BME280 (0x60); a BMP280 with 0x58, any other id for a wrong chip.
    explicit Bme280Emulator(std::uint8_t chipId = 0x60);

    /// The calibration NVM: 26 bytes for 0x88..0xA1 and 7 for 0xE1..0xE7 (ignored on a BMP280).
    void setCalibration(const std::vector<std::uint8_t>& temperatureAndPressure,
                        const std::vector<std::uint8_t>& humidity);

    /// The raw values the next measurements produce: 20-bit pressure and temperature, 16-bit humidity.
    void setAdc(std::int32_t pressure, std::int32_t temperature, std::int32_t humidity);

    /// How many status reads after a forced-mode write see measuring set (default 1).
    void setMeasuringReads(int reads) { _measuringReads = reads; }
    /// How many status reads after a reset see im_update set (default 1).
    void setImUpdateReads(int reads) { _imUpdateReads = reads; }
    /// Makes the chip reset itself (a brown-out) instead of finishing its next measurement.
    void brownOutInNextMeasurement() { _brownOutPending = true; }

    /// Register/value pairs, as the chip takes them; a lone register address sets the read pointer.
    void write(const std::uint8_t* data, std::size_t length) override;

    /// A reset without the reset command, as after a supply dip.
    void brownOut() { reset(); }

    /// Every register write, in order: (register, value).
    const std::vector<std::pair<std::uint8_t, std::uint8_t>>& writes() const { return _writes; }
    int statusReads() const { return _statusReads; }
    int resets() const { return _resets; }
    int measurements() const { return _measurements; }

private:
    void written(std::uint8_t reg, std::uint8_t value);
    void reading(std::uint8_t reg);
    void reset();
    void startMeasurement(std::uint8_t ctrlMeas);
    void finishMeasurement();
    bool hasHumidity() const;

    std::uint8_t _chipId;
    std::vector<std::uint8_t> _calibration1;
    std::vector<std::uint8_t> _calibration2;
    std::int32_t _adcPressure = 0x80000;
    std::int32_t _adcTemperature = 0x80000;
    std::int32_t _adcHumidity = 0x8000;
    std::uint8_t _activeOsrsH = 0;  ///< ctrl_hum as latched by the last ctrl_meas write
    int _measuringReads = 1;
    int _imUpdateReads = 1;
    int _measuringLeft = 0;
    int _imUpdateLeft = 0;
    bool _measurementPending = false;
    bool _brownOutPending = false;
    std::uint8_t _pendingCtrlMeas = 0;
    std::vector<std::pair<std::uint8_t, std::uint8_t>> _writes;
    int _statusReads = 0;
    int _resets = 0;
    int _measurements = 0;
};

}  // namespace citysense::bme280
