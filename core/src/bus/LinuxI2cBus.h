// The Linux i2c-dev adapter: open("/dev/i2c-N"), ioctl(I2C_SLAVE), write the register pointer, read.
#pragma once

#include <citysense/bus/I2c.h>

namespace citysense {

class LinuxI2cBus : public I2cBus {
public:
    explicit LinuxI2cBus(std::string path);
    ~LinuxI2cBus() override;

    void transfer(std::uint8_t address, const std::uint8_t* out, std::size_t outLength, std::uint8_t* in,
                  std::size_t inLength) override;
    std::string name() const override { return _path; }

private:
    std::string _path;
    int _fd = -1;
    int _selected = -1;  // the address I2C_SLAVE last selected
};

}  // namespace citysense
