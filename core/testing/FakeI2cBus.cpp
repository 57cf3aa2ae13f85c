#include <citysense/testing/FakeI2cBus.h>

#include <cerrno>
#include <cstdio>

namespace citysense::testing {

I2cDeviceEmulator::~I2cDeviceEmulator() = default;

void RegisterMapDevice::write(const std::uint8_t* data, std::size_t length) {
    if (length == 0)
        return;
    _pointer = data[0];
    for (std::size_t i = 1; i < length; ++i) {
        const std::uint8_t reg = _pointer++;
        registers[reg] = data[i];
        if (onWrite)
            onWrite(reg, data[i]);
    }
}

void RegisterMapDevice::read(std::uint8_t* data, std::size_t length) {
    for (std::size_t i = 0; i < length; ++i) {
        if (onRead)
            onRead(_pointer);
        data[i] = registers[_pointer++];
    }
}

void RegisterMapDevice::set(std::uint8_t first, std::initializer_list<std::uint8_t> values) {
    for (const std::uint8_t value : values)
        registers[first++] = value;
}

void FakeI2cBus::attach(std::uint8_t address, std::shared_ptr<I2cDeviceEmulator> device) {
    _devices[address] = std::move(device);
}

void FakeI2cBus::transfer(std::uint8_t address, const std::uint8_t* out, std::size_t outLength,
                          std::uint8_t* in, std::size_t inLength) {
    if (++_inside > 1)
        ++_overlaps;
    struct Leave {
        std::atomic<int>& inside;
        ~Leave() { --inside; }
    } leave{_inside};
    char device[48];
    std::snprintf(device, sizeof device, "%s address 0x%02x", _name.c_str(), address);
    const auto found = _devices.find(address);
    if (_failing || found == _devices.end())
        throw systemBusError(device, outLength ? "write" : "read", ENXIO);
    if (outLength)
        found->second->write(out, outLength);
    if (inLength)
        found->second->read(in, inLength);
}

}  // namespace citysense::testing
