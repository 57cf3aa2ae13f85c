#include "Bme280Chip.h"

#include "Bme280Registers.h"

#include <cstdio>
#include <stdexcept>
#include <string>
#include <thread>

namespace citysense::bme280 {

namespace {

constexpr ChipVariant kVariants[] = {
    {kChipIdBme280, "BME280", true, 8},
    {kChipIdBmp280, "BMP280", false, 6},
};

/// After a reset: the datasheet's start-up time of 2 ms, then status.im_update polled 2 ms apart,
/// at most 5 times, as Bosch's BME280_SensorAPI does.
constexpr std::chrono::milliseconds kResetWait{2};
constexpr int kImUpdatePolls = 5;

/// After t_max the measuring bit is clear on a working chip; the polls absorb a slow clock.
constexpr std::chrono::milliseconds kMeasuringPollInterval{1};
constexpr int kMeasuringPolls = 10;

std::string hex(unsigned value, int digits = 2) {
    char text[16];
    std::snprintf(text, sizeof text, "0x%0*x", digits, value);
    return text;
}

/// The oversampling factor of an osrs code: 0 (skipped), 1, 2, 4, 8, 16.
unsigned factor(std::uint8_t code) {
    return code == kOversamplingSkipped ? 0u : 1u << (code - 1);
}

}  // namespace

Bme280Chip::Bme280Chip(I2cDevice device, const ChipSettings& settings)
    : _device(std::move(device)), _settings(settings) {
    if (settings.osrsT == kOversamplingSkipped)
        throw std::invalid_argument("BME280: temperature cannot be skipped: pressure and humidity need it");
    if (settings.osrsT > kOversamplingMax || settings.osrsP > kOversamplingMax ||
        settings.osrsH > kOversamplingMax || settings.filter > 4)
        throw std::invalid_argument("BME280: oversampling code above 5 or filter code above 4");
}

void Bme280Chip::init() {
    identify();
    reset();
    readCalibration();
    writeSettings();
}

void Bme280Chip::identify() {
    // Datasheet 5.4.1: register 0xD0 holds the chip id.
    const std::uint8_t id = _device.readRegister(reg::kChipId);
    for (const auto& variant : kVariants) {
        if (variant.id == id) {
            _variant = &variant;
            return;
        }
    }
    throw std::runtime_error(_device.describe() + ": chip id " + hex(id) + " is neither a BME280 (" +
                             hex(kChipIdBme280) + ") nor a BMP280 (" + hex(kChipIdBmp280) + ")");
}

void Bme280Chip::reset() {
    // Datasheet 5.4.2: 0xB6 written to 0xE0 resets the chip like a power-on; it then copies its NVM
    // (calibration) into the registers, with status.im_update set while it does (5.4.4).
    _device.writeRegister(reg::kReset, kResetCommand);
    for (int poll = 1;; ++poll) {
        std::this_thread::sleep_for(kResetWait);
        if (!(_device.readRegister(reg::kStatus) & kStatusImUpdate))
            return;
        if (poll == kImUpdatePolls)
            throw std::runtime_error(
                _device.describe() + ": still copying its calibration (status im_update) " +
                std::to_string(kImUpdatePolls * kResetWait.count()) + " ms after a reset");
    }
}

void Bme280Chip::readCalibration() {
    std::uint8_t temperatureAndPressure[reg::kCalibration1Length] = {};
    _device.readRegisters(reg::kCalibration1, temperatureAndPressure, sizeof temperatureAndPressure);
    std::uint8_t humidity[reg::kCalibration2Length] = {};
    if (_variant->humidity)
        _device.readRegisters(reg::kCalibration2, humidity, sizeof humidity);
    _calibration = decodeCalibration(temperatureAndPressure, _variant->humidity ? humidity : nullptr);
    // Every chip has non-zero dig_T1 and dig_P1; zeros mean the read went wrong (a faulty bus).
    if (_calibration.digT1 == 0 || _calibration.digP1 == 0)
        throw std::runtime_error(_device.describe() +
                                 ": calibration data is invalid (dig_T1 or dig_P1 is 0)");
}

std::uint8_t Bme280Chip::ctrlMeas(std::uint8_t mode) const {
    return static_cast<std::uint8_t>(_settings.osrsT << 5 | _settings.osrsP << 2 | mode);
}

void Bme280Chip::writeSettings() {
    // Datasheet 5.4.3: a ctrl_hum change takes effect only with the next write to ctrl_meas, so ctrl_hum
    // goes first. Datasheet 5.4.6: config is written in sleep mode, where writes to it are not ignored.
    if (_variant->humidity)
        _device.writeRegister(reg::kCtrlHum, _settings.osrsH);
    _device.writeRegister(reg::kCtrlMeas, ctrlMeas(kModeSleep));
    _device.writeRegister(reg::kConfig, static_cast<std::uint8_t>(_settings.filter << 2));
}

std::chrono::microseconds Bme280Chip::maxMeasurementTime(const ChipSettings& settings) {
    // Datasheet 9.1: t_measure,max = 1.25 + 2.3*osr_t + (2.3*osr_p + 0.575) + (2.3*osr_h + 0.575) ms. The
    // datasheet's example drops the 0.575 ms of a skipped channel; like Bosch's API we keep it (a longer
    // wait, never a shorter one).
    const unsigned us = 1250 + 2300 * factor(settings.osrsT) + (2300 * factor(settings.osrsP) + 575) +
                        (2300 * factor(settings.osrsH) + 575);
    return std::chrono::microseconds(us);
}

void Bme280Chip::waitWhileMeasuring() {
    // Datasheet 5.4.4: status.measuring is 1 while a conversion runs, 0 once the results are in the data
    // registers.
    for (int poll = 1;; ++poll) {
        if (!(_device.readRegister(reg::kStatus) & kStatusMeasuring))
            return;
        if (poll == kMeasuringPolls)
            throw std::runtime_error(_device.describe() +
                                     ": measurement not finished (status measuring still " + "set after " +
                                     std::to_string(kMeasuringPolls) + " reads)");
        std::this_thread::sleep_for(kMeasuringPollInterval);
    }
}

Measurement Bme280Chip::measure() {
    if (!_variant)
        throw std::logic_error("Bme280Chip::measure() before init()");
    // Datasheet 3.3.3: writing mode 01 (forced) starts one measurement, after which the chip returns to
    // sleep mode by itself. ctrl_hum goes first every time (5.4.3), so a chip that lost it in a supply
    // dip measures humidity again without a reset.
    if (_variant->humidity)
        _device.writeRegister(reg::kCtrlHum, _settings.osrsH);
    _device.writeRegister(reg::kCtrlMeas, ctrlMeas(kModeForced));
    ChipSettings settings = _settings;
    if (!_variant->humidity)
        settings.osrsH = kOversamplingSkipped;
    std::this_thread::sleep_for(maxMeasurementTime(settings));
    waitWhileMeasuring();

    // Datasheet 4 (data readout): one burst read of all data registers, so that they come from the same
    // measurement.
    std::uint8_t data[8] = {};
    _device.readRegisters(reg::kData, data, _variant->burstLength);
    const RawReading raw = decodeBurst(data, _variant->humidity);
    checkNotSkipped(raw);

    Measurement measurement;
    std::int32_t tFine = 0;
    measurement.temperature = compensateTemperature(_calibration, raw.temperature, tFine);
    if (_settings.osrsP != kOversamplingSkipped)
        measurement.pressure = compensatePressure(_calibration, raw.pressure, tFine);
    if (_variant->humidity && _settings.osrsH != kOversamplingSkipped)
        measurement.humidity = compensateHumidity(_calibration, raw.humidity, tFine);
    return measurement;
}

void Bme280Chip::checkNotSkipped(const RawReading& raw) {
    // A skipped measurement leaves 0x80000 (20 bit) or 0x8000 (16 bit) in its data registers (datasheet
    // 5.4.7 to 5.4.9). Those are also values a measurement can produce (0x80000 is room temperature with
    // most calibrations), so a channel that reads one counts as skipped only if the chip's own control
    // register says so: the chip lost the settings written to it, e.g. in a brown-out reset. The host
    // then reopens the driver, which writes them again.
    const bool temperature = raw.temperature == kSkipped20Bit;
    const bool pressure = _settings.osrsP != kOversamplingSkipped && raw.pressure == kSkipped20Bit;
    const bool humidity =
        _variant->humidity && _settings.osrsH != kOversamplingSkipped && raw.humidity == kSkipped16Bit;
    if (!temperature && !pressure && !humidity)
        return;
    const auto skipped = [&](const char* channel, std::int32_t sentinel, std::uint8_t reg, int shift) {
        const std::uint8_t control = _device.readRegister(reg);
        if ((control >> shift & 0x07) == kOversamplingSkipped)
            throw std::runtime_error(_device.describe() + ": " + channel + " was skipped (raw " +
                                     hex(static_cast<unsigned>(sentinel), 0) + ", register " + hex(reg) +
                                     " = " + hex(control) + "): the chip lost its settings");
    };
    if (temperature)
        skipped("temperature", kSkipped20Bit, reg::kCtrlMeas, 5);
    if (pressure)
        skipped("pressure", kSkipped20Bit, reg::kCtrlMeas, 2);
    if (humidity)
        skipped("humidity", kSkipped16Bit, reg::kCtrlHum, 0);
}

}  // namespace citysense::bme280
