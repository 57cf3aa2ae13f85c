// An I2C bus of emulated chips, for testing drivers without hardware: register it under a path with
// registerI2cBus() and configure the driver with that path. The driver's chip logic runs unchanged.
#pragma once

#include <citysense/bus/I2c.h>

#include <array>
#include <atomic>
#include <functional>
#include <map>

namespace citysense::testing {

/// An emulated chip at one address.
class I2cDeviceEmulator {
public:
    virtual ~I2cDeviceEmulator();
    /// A write transaction; for register chips data[0] is the register pointer.
    virtual void write(const std::uint8_t* data, std::size_t length) = 0;
    /// A read transaction, after the write that set the pointer.
    virtual void read(std::uint8_t* data, std::size_t length) = 0;
};

/// 256 byte registers with an auto-incrementing pointer, the layout of most sensor chips. Behaviour
/// (a reset, a measurement that sets a busy bit) goes into the hooks.
class RegisterMapDevice : public I2cDeviceEmulator {
public:
    std::array<std::uint8_t, 256> registers{};
    /// Called after each register write, with the register and the value written.
    std::function<void(std::uint8_t reg, std::uint8_t value)> onWrite;
    /// Called before each register is read, e.g. to advance a state machine.
    std::function<void(std::uint8_t reg)> onRead;

    void write(const std::uint8_t* data, std::size_t length) override;
    void read(std::uint8_t* data, std::size_t length) override;

    /// Sets registers from `first` onward.
    void set(std::uint8_t first, std::initializer_list<std::uint8_t> values);

private:
    std::uint8_t _pointer = 0;
};

class FakeI2cBus : public I2cBus {
public:
    explicit FakeI2cBus(std::string name = "fake-i2c") : _name(std::move(name)) {}

    void attach(std::uint8_t address, std::shared_ptr<I2cDeviceEmulator> device);

    /// Runs the emulator's write then read. An address with no device fails as a real bus does
    /// (no acknowledge); so does every transfer while failing(true) is set.
    void transfer(std::uint8_t address, const std::uint8_t* out, std::size_t outLength, std::uint8_t* in,
                  std::size_t inLength) override;
    std::string name() const override { return _name; }

    /// Makes every transfer fail, as an unplugged bus would.
    void failing(bool fail) { _failing = fail; }

    /// How many transfers overlapped another one; stays 0 while the bus lock works.
    int overlaps() const { return _overlaps; }

private:
    std::string _name;
    std::map<std::uint8_t, std::shared_ptr<I2cDeviceEmulator>> _devices;
    std::atomic<bool> _failing{false};
    std::atomic<int> _inside{0};
    std::atomic<int> _overlaps{0};
};

}  // namespace citysense::testing
