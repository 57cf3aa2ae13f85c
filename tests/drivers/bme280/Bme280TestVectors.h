// Test data shared by the bme280 tests and the fake /dev/i2c-N library.
#pragma once

#include <cstdint>
#include <vector>

namespace citysense::bme280::testdata {

/// The worked example of the BMP280 datasheet (the BME280 shares its T and P formulas and registers):
/// 0x88..0x9F as printed there (T1=27504 T2=26435 T3=-1000 P1=36477 P2=-10685 P3=3024 P4=2855 P5=140
/// P6=-7 P7=15500 P8=-14600 P9=6000), then 0xA0 (unused) and dig_H1 = 75 at 0xA1.
inline const std::vector<std::uint8_t> kDatasheetCalibration = {
    0x70, 0x6B, 0x43, 0x67, 0x18, 0xFC, 0x7D, 0x8E, 0x43, 0xD6, 0xD0, 0x0B, 0x27,
    0x0B, 0x8C, 0x00, 0xF9, 0xFF, 0x8C, 0x3C, 0xF8, 0xC6, 0x70, 0x17, 0x00, 0x4B};

/// Its burst `65 5A C0 7E ED 00`: adc_P = 415148, adc_T = 519888 (t_fine 128422, 25.08 °C, 100653.27 Pa).
constexpr std::int32_t kDatasheetAdcP = 415148;
constexpr std::int32_t kDatasheetAdcT = 519888;
constexpr std::int32_t kDatasheetTFine = 128422;

/// Humidity calibration at 0xE1..0xE7 with negative H4 and H5: H2 = 100 (E1, E2), H3 = 0 (E3),
/// H4 = 0xF0 (-16) * 16 | 0x7 = -249 (E4, E5[3:0]), H5 = 0xFE (-2) * 16 | 0xA = -22 (E6, E5[7:4]), H6 = 30.
inline const std::vector<std::uint8_t> kNegativeHumidityCalibration = {0x64, 0x00, 0x00, 0xF0,
                                                                       0xA7, 0xFE, 0x1E};
constexpr std::uint8_t kH1 = 75;
constexpr std::int16_t kH2 = 100;
constexpr std::uint8_t kH3 = 0;
constexpr std::int16_t kH4 = -249;
constexpr std::int16_t kH5 = -22;
constexpr std::int8_t kH6 = 30;

/// A humidity ADC value that gives about 49.6 %RH with the calibration above at t_fine 128422.
constexpr std::int32_t kAdcH = 16000;

}  // namespace citysense::bme280::testdata
