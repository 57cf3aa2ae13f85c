// Modbus RTU framing for tests that play a slave: CRC-16/MODBUS written from its definition
// (reflected polynomial 0xA001, initial value 0xFFFF), independent of libmodbus.
#pragma once

#include <cstdint>
#include <string>

namespace citysense::test {

inline std::uint16_t crc16Modbus(const std::string& frame) {
    std::uint16_t crc = 0xFFFF;
    for (const char byte : frame) {
        crc ^= static_cast<std::uint8_t>(byte);
        for (int bit = 0; bit < 8; ++bit)
            crc = (crc & 1) ? static_cast<std::uint16_t>((crc >> 1) ^ 0xA001)
                            : static_cast<std::uint16_t>(crc >> 1);
    }
    return crc;
}

/// `frame` with its CRC appended, low byte first.
inline std::string withCrc(std::string frame) {
    const std::uint16_t crc = crc16Modbus(frame);
    frame += static_cast<char>(crc & 0xFF);
    frame += static_cast<char>(crc >> 8);
    return frame;
}

}  // namespace citysense::test
