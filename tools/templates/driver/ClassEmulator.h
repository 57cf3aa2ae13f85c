// An emulated TMP102 for the tests: a fixed temperature in its 16-bit temperature register.
#pragma once

#include <citysense/testing/FakeI2cBus.h>

class @CLASS@Emulator : public citysense::testing::I2cDeviceEmulator {
public:
    void setTemperature(double celsius);
    void write(const std::uint8_t* data, std::size_t length) override;
    void read(std::uint8_t* data, std::size_t length) override;

private:
    std::uint8_t _pointer = 0;
    std::uint16_t _temperature = 0;
};
