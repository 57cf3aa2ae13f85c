// I2C register access. Drivers talk to an I2cDevice; the bus under it is the Linux adapter
// (/dev/i2c-N) in production and an emulator in tests (citysense/testing/FakeI2cBus.h).
#pragma once

#include <citysense/bus/BusError.h>

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace citysense {

/// One I2C adapter. Transfers on one bus never interleave: each holds the bus's lock, and a driver
/// that needs several transfers in a row (an ADC conversion) holds it across them with lock().
class I2cBus {
public:
    virtual ~I2cBus();

    /// Writes `outLength` bytes to the device at `address`, then reads `inLength` bytes from it
    /// (either may be zero). Throws BusError, naming the bus, the address and the reason.
    virtual void transfer(std::uint8_t address, const std::uint8_t* out, std::size_t outLength,
                          std::uint8_t* in, std::size_t inLength) = 0;

    /// The bus's name for messages, e.g. "/dev/i2c-1".
    virtual std::string name() const = 0;

    std::unique_lock<std::recursive_mutex> lock() { return std::unique_lock<std::recursive_mutex>(_mutex); }

private:
    std::recursive_mutex _mutex;
};

/// The bus at `path`: one shared object per path in the process, so every driver on a bus uses the
/// same lock. A bus registered with registerI2cBus() under that path wins; otherwise the Linux
/// adapter is opened (throws BusError when it cannot be).
std::shared_ptr<I2cBus> openI2cBus(const std::string& path);

/// Makes openI2cBus(path) return `bus`; nullptr removes it. For emulators in tests.
void registerI2cBus(const std::string& path, std::shared_ptr<I2cBus> bus);

/// One device on a bus: byte registers with an auto-incrementing pointer, the common I2C layout.
class I2cDevice {
public:
    I2cDevice(std::shared_ptr<I2cBus> bus, std::uint8_t address);

    std::uint8_t readRegister(std::uint8_t reg);
    void readRegisters(std::uint8_t firstRegister, std::uint8_t* out, std::size_t count);
    void writeRegister(std::uint8_t reg, std::uint8_t value);

    /// 16-bit registers, most significant byte first (e.g. the ADS1115).
    std::uint16_t readRegister16(std::uint8_t reg);
    void writeRegister16(std::uint8_t reg, std::uint16_t value);

    /// Holds the bus across several calls.
    std::unique_lock<std::recursive_mutex> lockBus() { return _bus->lock(); }

    std::uint8_t address() const { return _address; }
    /// "/dev/i2c-1 address 0x76", for messages.
    std::string describe() const;

private:
    std::shared_ptr<I2cBus> _bus;
    std::uint8_t _address;
};

}  // namespace citysense
