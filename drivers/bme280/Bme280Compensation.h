// BME280 calibration data and compensation: pure functions of the bytes the chip returns, with no bus
// in sight. The compensation is the datasheet's double-precision code (BME280 datasheet section 8.1,
// "Compensation formulas in double precision floating point"; the same T and P formulas as the BMP280
// datasheet section 8.1, whose worked example the tests use).
#pragma once

#include <cstdint>

namespace citysense::bme280 {

/// The trimming parameters (datasheet section 4.2.2, table 16).
struct Calibration {
    std::uint16_t digT1 = 0;
    std::int16_t digT2 = 0;
    std::int16_t digT3 = 0;
    std::uint16_t digP1 = 0;
    std::int16_t digP2 = 0;
    std::int16_t digP3 = 0;
    std::int16_t digP4 = 0;
    std::int16_t digP5 = 0;
    std::int16_t digP6 = 0;
    std::int16_t digP7 = 0;
    std::int16_t digP8 = 0;
    std::int16_t digP9 = 0;
    std::uint8_t digH1 = 0;
    std::int16_t digH2 = 0;
    std::uint8_t digH3 = 0;
    std::int16_t digH4 = 0;  ///< signed 12 bit
    std::int16_t digH5 = 0;  ///< signed 12 bit
    std::int8_t digH6 = 0;
};

/// Decodes the 26 bytes at 0x88..0xA1 and, when `humidity` is not null, the 7 bytes at 0xE1..0xE7 (a
/// BMP280 has none: its humidity parameters stay 0).
Calibration decodeCalibration(const std::uint8_t* temperatureAndPressure, const std::uint8_t* humidity);

/// The raw ADC values of a burst read at 0xF7: 20-bit pressure and temperature, 16-bit humidity.
struct RawReading {
    std::int32_t pressure = 0;
    std::int32_t temperature = 0;
    std::int32_t humidity = 0;
};

/// Decodes 8 burst bytes (6 when `humidity` is false: a BMP280 has no humidity registers).
RawReading decodeBurst(const std::uint8_t* data, bool humidity);

/// Temperature in °C; sets `tFine`, the fine temperature pressure and humidity compensation need.
double compensateTemperature(const Calibration& calibration, std::int32_t adcT, std::int32_t& tFine);

/// Pressure in Pa. Throws std::runtime_error if dig_P1 makes the formula divide by zero.
double compensatePressure(const Calibration& calibration, std::int32_t adcP, std::int32_t tFine);

/// Relative humidity in %, clamped to 0..100.
double compensateHumidity(const Calibration& calibration, std::int32_t adcH, std::int32_t tFine);

}  // namespace citysense::bme280
