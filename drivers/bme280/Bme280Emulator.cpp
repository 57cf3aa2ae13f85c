#include "Bme280Emulator.h"

#include "Bme280Registers.h"

#include <algorithm>
#include <stdexcept>

namespace citysense::bme280 {

Bme280Emulator::Bme280Emulator(std::uint8_t chipId)
    : _chipId(chipId), _calibration1(reg::kCalibration1Length), _calibration2(reg::kCalibration2Length) {
    onRead = [this](std::uint8_t reg) { reading(reg); };
    reset();  // power-on; the NVM copy is over by the time a driver looks
    _imUpdateLeft = 0;
    _resets = 0;
}

void Bme280Emulator::setCalibration(const std::vector<std::uint8_t>& temperatureAndPressure,
                                    const std::vector<std::uint8_t>& humidity) {
    if (temperatureAndPressure.size() != reg::kCalibration1Length ||
        humidity.size() != reg::kCalibration2Length)
        throw std::invalid_argument("Bme280Emulator: calibration is 26 bytes at 0x88 and 7 at 0xE1");
    _calibration1 = temperatureAndPressure;
    _calibration2 = humidity;
    std::copy(_calibration1.begin(), _calibration1.end(), registers.begin() + reg::kCalibration1);
    if (hasHumidity())
        std::copy(_calibration2.begin(), _calibration2.end(), registers.begin() + reg::kCalibration2);
}

void Bme280Emulator::setAdc(std::int32_t pressure, std::int32_t temperature, std::int32_t humidity) {
    _adcPressure = pressure & 0xFFFFF;
    _adcTemperature = temperature & 0xFFFFF;
    _adcHumidity = humidity & 0xFFFF;
}

bool Bme280Emulator::hasHumidity() const {
    return _chipId != kChipIdBmp280;
}

void Bme280Emulator::write(const std::uint8_t* data, std::size_t length) {
    // Datasheet 6.2.1: a write is register/value pairs (no auto-increment); a register address alone
    // sets the pointer for the read that follows, which does auto-increment.
    if (length == 1) {
        RegisterMapDevice::write(data, length);
        return;
    }
    for (std::size_t i = 0; i + 1 < length; i += 2)
        written(data[i], data[i + 1]);
}

void Bme280Emulator::written(std::uint8_t reg, std::uint8_t value) {
    _writes.emplace_back(reg, value);
    switch (reg) {
        case reg::kReset:
            if (value == kResetCommand)
                reset();
            break;
        case reg::kCtrlHum:
            if (hasHumidity())
                registers[reg] = value & 0x07;
            break;
        case reg::kCtrlMeas:
            registers[reg] = value;
            _activeOsrsH = registers[reg::kCtrlHum];  // datasheet 5.4.3: ctrl_hum counts from here on
            if ((value & kModeMask) == kModeForced)
                startMeasurement(value);
            break;
        case reg::kConfig:
            registers[reg] = value;
            break;
        default:  // id, calibration, status, data: read-only; the rest is reserved
            break;
    }
}

void Bme280Emulator::reading(std::uint8_t reg) {
    if (reg == reg::kStatus) {
        ++_statusReads;
        if (_measurementPending && _measuringLeft == 0)
            finishMeasurement();
        std::uint8_t status = 0;
        if (_measurementPending) {
            status |= kStatusMeasuring;
            --_measuringLeft;
        }
        if (_imUpdateLeft > 0) {
            status |= kStatusImUpdate;
            --_imUpdateLeft;
        }
        registers[reg::kStatus] = status;
    } else if (reg >= reg::kData && _measurementPending && _measuringLeft == 0) {
        finishMeasurement();
    }
}

void Bme280Emulator::reset() {
    // Datasheet 5.3: the reset values. The calibration comes back from the NVM.
    registers.fill(0);
    registers[reg::kChipId] = _chipId;
    std::copy(_calibration1.begin(), _calibration1.end(), registers.begin() + reg::kCalibration1);
    if (hasHumidity())
        std::copy(_calibration2.begin(), _calibration2.end(), registers.begin() + reg::kCalibration2);
    for (const std::uint8_t msb : {0xF7, 0xFA, 0xFD})
        registers[msb] = 0x80;
    if (!hasHumidity())
        registers[0xFD] = 0;
    _activeOsrsH = 0;
    _measurementPending = false;
    _brownOutPending = false;
    _measuringLeft = 0;
    _imUpdateLeft = _imUpdateReads;
    ++_resets;
}

void Bme280Emulator::startMeasurement(std::uint8_t ctrlMeas) {
    _pendingCtrlMeas = ctrlMeas;
    _measurementPending = true;
    _measuringLeft = _measuringReads;
    if (_measuringLeft == 0)
        finishMeasurement();
}

void Bme280Emulator::finishMeasurement() {
    _measurementPending = false;
    if (_brownOutPending) {
        reset();
        return;
    }
    ++_measurements;
    const int osrsT = _pendingCtrlMeas >> 5 & 0x07;
    const int osrsP = _pendingCtrlMeas >> 2 & 0x07;
    const auto put20 = [&](std::uint8_t first, std::int32_t value) {
        registers[first] = static_cast<std::uint8_t>(value >> 12);
        registers[first + 1] = static_cast<std::uint8_t>(value >> 4);
        registers[first + 2] = static_cast<std::uint8_t>((value & 0x0F) << 4);
    };
    put20(reg::kData, osrsP ? _adcPressure : kSkipped20Bit);
    put20(reg::kData + 3, osrsT ? _adcTemperature : kSkipped20Bit);
    if (hasHumidity()) {
        const std::int32_t humidity = (_activeOsrsH & 0x07) ? _adcHumidity : kSkipped16Bit;
        registers[reg::kData + 6] = static_cast<std::uint8_t>(humidity >> 8);
        registers[reg::kData + 7] = static_cast<std::uint8_t>(humidity);
    }
    registers[reg::kCtrlMeas] &= static_cast<std::uint8_t>(~kModeMask);  // datasheet 3.3.3: back to sleep
}

}  // namespace citysense::bme280
