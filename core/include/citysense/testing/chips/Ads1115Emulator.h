// An emulated TI ADS1115 (datasheet SBAS444), the testing counterpart of citysense/chips/Ads1115.h, for
// any driver that reads through the chip: the four registers behind the pointer register, single-shot
// conversions of AIN0..AIN3 against GND whose result is the voltage the test set on that input, scaled
// by the PGA range in the config word. Attach it to a FakeI2cBus:
//
//   auto bus = std::make_shared<citysense::testing::FakeI2cBus>("fake-ads");
//   auto adc = std::make_shared<citysense::testing::Ads1115Emulator>(0x48);
//   bus->attach(0x48, adc);
//   citysense::registerI2cBus("fake-ads", bus);
//   adc->setInput(0, 0.300);  // AIN0 at 300 mV
//
// Misuse a driver must not commit (a pointer beyond 0x03, a write to the conversion register,
// continuous or differential conversions, which no citysense driver uses) throws std::logic_error.
#pragma once

#include <citysense/testing/FakeI2cBus.h>

#include <array>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

namespace citysense::testing {

/// One thing an emulated ADS1115 was asked to do.
struct Ads1115Operation {
    enum Kind {
        Start,        ///< a config write with OS = 1: a conversion starts
        ConfigWrite,  ///< a config write with OS = 0
        Poll,         ///< a read of the config register (OS tells whether the conversion is done)
        Result,       ///< a read of the conversion register
        Threshold,    ///< a read or write of Lo_thresh or Hi_thresh
    };
    std::uint8_t address;
    Kind kind;

    bool operator==(const Ads1115Operation& other) const {
        return address == other.address && kind == other.kind;
    }
};

/// The operations of every emulator sharing it, in the order the bus delivered them: tests check
/// that conversions on one bus never interleave.
class Ads1115Journal {
public:
    void record(std::uint8_t address, Ads1115Operation::Kind kind);
    std::vector<Ads1115Operation> operations() const;

private:
    mutable std::mutex _mutex;
    std::vector<Ads1115Operation> _operations;
};

class Ads1115Emulator : public I2cDeviceEmulator {
public:
    /// The config register's value after power-up (datasheet, Config Register): single-shot,
    /// AIN0-AIN1, ±2.048 V, 128 SPS, comparator off, not converting.
    static constexpr std::uint16_t kResetConfig = 0x8583;

    /// `address` names the chip in the journal; a journal shared by several emulators records them all.
    explicit Ads1115Emulator(std::uint8_t address = 0x48, std::shared_ptr<Ads1115Journal> journal = nullptr);

    /// The voltage on AIN`channel` (0..3) against GND, used by the conversions started from now on.
    void setInput(int channel, double volts);

    /// How many reads of the config register show OS = 0 (converting) after each start; 0: the
    /// result is there at once.
    void setBusyReads(int reads);

    /// Every config word written, in order, OS bit included.
    std::vector<std::uint16_t> configWrites() const;

    /// Conversions started so far.
    int conversions() const;

    /// The code a conversion of `volts` gives at full-scale range `fullScale` volts:
    /// round(volts * 32768 / fullScale), clamped to 0x8000..0x7FFF as the datasheet's table of ideal
    /// output codes does.
    static std::int16_t codeFor(double volts, double fullScale);

    void write(const std::uint8_t* data, std::size_t length) override;
    void read(std::uint8_t* data, std::size_t length) override;

private:
    enum Register : std::uint8_t { Conversion = 0, Config = 1, LoThresh = 2, HiThresh = 3 };

    void startConversion(std::uint16_t config);
    void record(Ads1115Operation::Kind kind);

    const std::uint8_t _address;
    const std::shared_ptr<Ads1115Journal> _journal;
    mutable std::mutex _mutex;
    std::array<double, 4> _inputs{};
    std::array<std::uint16_t, 4> _registers{0x0000, kResetConfig, 0x8000, 0x7FFF};
    std::uint8_t _pointer = Conversion;
    int _busyReads = 0;
    int _busyLeft = 0;  ///< reads of the config register still showing OS = 0
    std::uint16_t _pendingCode = 0;
    std::vector<std::uint16_t> _configWrites;
    int _conversions = 0;
};

}  // namespace citysense::testing
