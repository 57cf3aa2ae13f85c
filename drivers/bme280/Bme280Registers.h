// The BME280/BMP280 register map (BME280 datasheet section 5.3, "Memory map"; BMP280 datasheet 4.3),
// shared by the chip logic and the emulator.
#pragma once

#include <cstddef>
#include <cstdint>

namespace citysense::bme280 {

namespace reg {
constexpr std::uint8_t kCalibration1 = 0x88;  ///< 0x88..0xA1: dig_T1..dig_P9, 0xA0 unused, dig_H1
constexpr std::size_t kCalibration1Length = 26;
constexpr std::uint8_t kChipId = 0xD0;
constexpr std::uint8_t kReset = 0xE0;
constexpr std::uint8_t kCalibration2 = 0xE1;  ///< 0xE1..0xE7: dig_H2..dig_H6 (BME280 only)
constexpr std::size_t kCalibration2Length = 7;
constexpr std::uint8_t kCtrlHum = 0xF2;  ///< osrs_h[2:0] (BME280 only)
constexpr std::uint8_t kStatus = 0xF3;
constexpr std::uint8_t kCtrlMeas = 0xF4;  ///< osrs_t[7:5] osrs_p[4:2] mode[1:0]
constexpr std::uint8_t kConfig = 0xF5;    ///< t_sb[7:5] filter[4:2] spi3w_en[0]
constexpr std::uint8_t kData = 0xF7;      ///< press msb, lsb, xlsb, temp msb, lsb, xlsb, hum msb, lsb
}  // namespace reg

constexpr std::uint8_t kResetCommand = 0xB6;
constexpr std::uint8_t kStatusMeasuring = 0x08;
constexpr std::uint8_t kStatusImUpdate = 0x01;
constexpr std::uint8_t kModeMask = 0x03;
constexpr std::uint8_t kModeSleep = 0x00;
constexpr std::uint8_t kModeForced = 0x01;

constexpr std::uint8_t kChipIdBme280 = 0x60;
constexpr std::uint8_t kChipIdBmp280 = 0x58;

/// What a skipped measurement leaves in the data registers (datasheet 5.4.7 to 5.4.9).
constexpr std::int32_t kSkipped20Bit = 0x80000;
constexpr std::int32_t kSkipped16Bit = 0x8000;

/// osrs_x codes (datasheet 5.4.3, 5.4.5): 0 skips the measurement, 1..5 oversample x1..x16.
constexpr std::uint8_t kOversamplingSkipped = 0;
constexpr std::uint8_t kOversamplingMax = 5;

}  // namespace citysense::bme280
