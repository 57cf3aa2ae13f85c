#include "LinuxI2cBus.h"

#include <linux/i2c-dev.h>

#include <fcntl.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <cerrno>
#include <cstdio>

namespace citysense {

namespace {

std::string hexAddress(std::uint8_t address) {
    char text[8];
    std::snprintf(text, sizeof text, "0x%02x", address);
    return text;
}

}  // namespace

LinuxI2cBus::LinuxI2cBus(std::string path) : _path(std::move(path)) {
    _fd = ::open(_path.c_str(), O_RDWR | O_CLOEXEC);
    if (_fd < 0)
        throw systemBusError(_path, "open", errno);
}

LinuxI2cBus::~LinuxI2cBus() {
    ::close(_fd);
}

void LinuxI2cBus::transfer(std::uint8_t address, const std::uint8_t* out, std::size_t outLength,
                           std::uint8_t* in, std::size_t inLength) {
    auto held = lock();
    const std::string device = _path + " address " + hexAddress(address);
    if (_selected != address) {
        if (::ioctl(_fd, I2C_SLAVE, static_cast<unsigned long>(address)) < 0) {
            if (errno == EBUSY)
                throw BusError(
                    device +
                    ": in use by a kernel driver (read it through that driver, e.g. the iio backend)");
            throw systemBusError(device, "select address", errno);
        }
        _selected = address;
    }
    if (outLength > 0) {
        const ssize_t written = ::write(_fd, out, outLength);
        if (written < 0)
            throw systemBusError(device, "write", errno);
        if (static_cast<std::size_t>(written) != outLength)
            throw BusError(device + ": short write (" + std::to_string(written) + " of " +
                           std::to_string(outLength) + " bytes)");
    }
    if (inLength > 0) {
        const ssize_t got = ::read(_fd, in, inLength);
        if (got < 0)
            throw systemBusError(device, "read", errno);
        if (static_cast<std::size_t>(got) != inLength)
            throw BusError(device + ": short read (" + std::to_string(got) + " of " +
                           std::to_string(inLength) + " bytes)");
    }
}

}  // namespace citysense
