#include "LinuxI2cBus.h"

#include <citysense/bus/I2c.h>

#include <cstdio>
#include <map>

namespace citysense {

I2cBus::~I2cBus() = default;

namespace {

struct BusTable {
    std::mutex mutex;
    std::map<std::string, std::shared_ptr<I2cBus>> registered;
    std::map<std::string, std::weak_ptr<I2cBus>> open;  // Linux buses close when the last driver lets go
};

BusTable& buses() {
    static BusTable table;
    return table;
}

}  // namespace

std::shared_ptr<I2cBus> openI2cBus(const std::string& path) {
    BusTable& table = buses();
    std::lock_guard<std::mutex> lock(table.mutex);
    if (auto registered = table.registered.find(path); registered != table.registered.end())
        return registered->second;
    if (auto bus = table.open[path].lock())
        return bus;
    auto bus = std::make_shared<LinuxI2cBus>(path);
    table.open[path] = bus;
    return bus;
}

void registerI2cBus(const std::string& path, std::shared_ptr<I2cBus> bus) {
    BusTable& table = buses();
    std::lock_guard<std::mutex> lock(table.mutex);
    if (bus)
        table.registered[path] = std::move(bus);
    else
        table.registered.erase(path);
}

I2cDevice::I2cDevice(std::shared_ptr<I2cBus> bus, std::uint8_t address)
    : _bus(std::move(bus)), _address(address) {}

std::uint8_t I2cDevice::readRegister(std::uint8_t reg) {
    std::uint8_t value = 0;
    readRegisters(reg, &value, 1);
    return value;
}

void I2cDevice::readRegisters(std::uint8_t firstRegister, std::uint8_t* out, std::size_t count) {
    _bus->transfer(_address, &firstRegister, 1, out, count);
}

void I2cDevice::writeRegister(std::uint8_t reg, std::uint8_t value) {
    const std::uint8_t bytes[] = {reg, value};
    _bus->transfer(_address, bytes, sizeof bytes, nullptr, 0);
}

std::uint16_t I2cDevice::readRegister16(std::uint8_t reg) {
    std::uint8_t bytes[2] = {};
    readRegisters(reg, bytes, sizeof bytes);
    return static_cast<std::uint16_t>(bytes[0] << 8 | bytes[1]);
}

void I2cDevice::writeRegister16(std::uint8_t reg, std::uint16_t value) {
    const std::uint8_t bytes[] = {reg, static_cast<std::uint8_t>(value >> 8),
                                  static_cast<std::uint8_t>(value & 0xFF)};
    _bus->transfer(_address, bytes, sizeof bytes, nullptr, 0);
}

std::string I2cDevice::describe() const {
    char address[8];
    std::snprintf(address, sizeof address, "0x%02x", _address);
    return _bus->name() + " address " + address;
}

}  // namespace citysense
