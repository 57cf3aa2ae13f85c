#include "Bme280Compensation.h"

#include <stdexcept>
#include <string>

namespace citysense::bme280 {

namespace {

std::uint16_t unsigned16(const std::uint8_t* littleEndian) {
    return static_cast<std::uint16_t>(littleEndian[0] | littleEndian[1] << 8);
}

std::int16_t signed16(const std::uint8_t* littleEndian) {
    return static_cast<std::int16_t>(unsigned16(littleEndian));
}

/// A signed 12-bit parameter: the signed byte holds bits 11..4, a nibble of the shared 0xE5 bits 3..0.
/// Multiplying (not shifting) the negative high part keeps its sign without undefined behaviour.
std::int16_t signed12(std::uint8_t high, std::uint8_t lowNibble) {
    return static_cast<std::int16_t>(static_cast<std::int8_t>(high) * 16 | (lowNibble & 0x0F));
}

std::int32_t raw20(const std::uint8_t* bytes) {
    return static_cast<std::int32_t>(bytes[0]) << 12 | static_cast<std::int32_t>(bytes[1]) << 4 |
           bytes[2] >> 4;
}

}  // namespace

Calibration decodeCalibration(const std::uint8_t* temperatureAndPressure, const std::uint8_t* humidity) {
    // Datasheet 4.2.2, table 16: 16-bit words little-endian from 0x88, dig_T1 and dig_P1 unsigned.
    const std::uint8_t* b = temperatureAndPressure;
    Calibration c;
    c.digT1 = unsigned16(b + 0);
    c.digT2 = signed16(b + 2);
    c.digT3 = signed16(b + 4);
    c.digP1 = unsigned16(b + 6);
    c.digP2 = signed16(b + 8);
    c.digP3 = signed16(b + 10);
    c.digP4 = signed16(b + 12);
    c.digP5 = signed16(b + 14);
    c.digP6 = signed16(b + 16);
    c.digP7 = signed16(b + 18);
    c.digP8 = signed16(b + 20);
    c.digP9 = signed16(b + 22);
    c.digH1 = b[25];  // 0xA1; 0xA0 is unused
    if (humidity) {
        // 0xE1..0xE7: H2 = E2:E1, H3 = E3, H4 = E4[7:0]:E5[3:0], H5 = E6[7:0]:E5[7:4], H6 = E7. H4 and
        // H5 are signed 12-bit values (the sign is in E4 and E6), as Bosch's BME280_SensorAPI decodes them.
        const std::uint8_t* h = humidity;
        c.digH2 = signed16(h + 0);
        c.digH3 = h[2];
        c.digH4 = signed12(h[3], h[4]);
        c.digH5 = signed12(h[5], h[4] >> 4);
        c.digH6 = static_cast<std::int8_t>(h[6]);
    }
    return c;
}

RawReading decodeBurst(const std::uint8_t* data, bool humidity) {
    // Datasheet 5.4.7 to 5.4.9: press msb, lsb, xlsb[7:4], temp msb, lsb, xlsb[7:4], hum msb, lsb.
    RawReading raw;
    raw.pressure = raw20(data);
    raw.temperature = raw20(data + 3);
    if (humidity)
        raw.humidity = data[6] << 8 | data[7];
    return raw;
}

// The three functions below are BME280_compensate_T_double, BME280_compensate_P_double and
// bme280_compensate_H_double of datasheet section 8.1, term for term.

double compensateTemperature(const Calibration& c, std::int32_t adcT, std::int32_t& tFine) {
    const double adc = adcT;
    const double var1 = (adc / 16384.0 - c.digT1 / 1024.0) * c.digT2;
    const double var2 = (adc / 131072.0 - c.digT1 / 8192.0) * (adc / 131072.0 - c.digT1 / 8192.0) * c.digT3;
    tFine = static_cast<std::int32_t>(var1 + var2);
    return (var1 + var2) / 5120.0;
}

double compensatePressure(const Calibration& c, std::int32_t adcP, std::int32_t tFine) {
    double var1 = tFine / 2.0 - 64000.0;
    double var2 = var1 * var1 * c.digP6 / 32768.0;
    var2 = var2 + var1 * c.digP5 * 2.0;
    var2 = var2 / 4.0 + c.digP4 * 65536.0;
    var1 = (c.digP3 * var1 * var1 / 524288.0 + c.digP2 * var1) / 524288.0;
    var1 = (1.0 + var1 / 32768.0) * c.digP1;
    if (var1 == 0.0)  // the datasheet returns 0 here; a reading of 0 Pa would pass for a value
        throw std::runtime_error("pressure compensation divides by zero (dig_P1 = " +
                                 std::to_string(c.digP1) + "): the calibration data is not valid");
    double p = 1048576.0 - adcP;
    p = (p - var2 / 4096.0) * 6250.0 / var1;
    var1 = c.digP9 * p * p / 2147483648.0;
    var2 = p * c.digP8 / 32768.0;
    return p + (var1 + var2 + c.digP7) / 16.0;
}

double compensateHumidity(const Calibration& c, std::int32_t adcH, std::int32_t tFine) {
    double h = tFine - 76800.0;
    h = (adcH - (c.digH4 * 64.0 + c.digH5 / 16384.0 * h)) *
        (c.digH2 / 65536.0 * (1.0 + c.digH6 / 67108864.0 * h * (1.0 + c.digH3 / 67108864.0 * h)));
    h = h * (1.0 - c.digH1 * h / 524288.0);
    if (h > 100.0)
        return 100.0;
    if (h < 0.0)
        return 0.0;
    return h;
}

}  // namespace citysense::bme280
