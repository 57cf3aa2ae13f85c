#include "@CLASS@Emulator.h"

#include <cmath>

void @CLASS@Emulator::setTemperature(double celsius) {
    _temperature = static_cast<std::uint16_t>(static_cast<std::int16_t>(std::lround(celsius / 0.0625)) << 4);
}

void @CLASS@Emulator::write(const std::uint8_t* data, std::size_t length) {
    if (length > 0)
        _pointer = data[0];
}

void @CLASS@Emulator::read(std::uint8_t* data, std::size_t length) {
    const std::uint16_t value = _pointer == 0x00 ? _temperature : 0;
    if (length > 0)
        data[0] = static_cast<std::uint8_t>(value >> 8);
    if (length > 1)
        data[1] = static_cast<std::uint8_t>(value & 0xFF);
}
