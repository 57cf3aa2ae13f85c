#include <citysense/chips/Ads1115.h>
#include <citysense/testing/FakeI2cBus.h>

#include <gtest/gtest.h>

namespace citysense {
namespace {

/// Four 16-bit registers behind a pointer byte, as the ADS1115 has; config reads back idle unless
/// the chip is stuck converting.
class WordRegisters : public testing::I2cDeviceEmulator {
public:
    std::uint16_t registers[4] = {};
    bool stuck = false;
    void write(const std::uint8_t* data, std::size_t length) override {
        _pointer = data[0] & 3;
        if (length == 3)
            registers[_pointer] = static_cast<std::uint16_t>(data[1] << 8 | data[2]);
        if (stuck)
            registers[1] &= 0x7FFF;
        else
            registers[1] |= 0x8000;
    }
    void read(std::uint8_t* data, std::size_t length) override {
        data[0] = static_cast<std::uint8_t>(registers[_pointer] >> 8);
        if (length > 1)
            data[1] = static_cast<std::uint8_t>(registers[_pointer] & 0xFF);
    }

private:
    std::uint8_t _pointer = 0;
};

TEST(Ads1115, ConfigWordsFollowTheDatasheet) {
    auto bus = std::make_shared<testing::FakeI2cBus>();
    EXPECT_EQ(Ads1115(I2cDevice(bus, 0x48), 4.096, 128).configWord(0), 0xC383);  // HARDWARE.md's example
    EXPECT_EQ(Ads1115(I2cDevice(bus, 0x48), 4.096, 128).configWord(3), 0xF383);
    EXPECT_EQ(Ads1115(I2cDevice(bus, 0x48), 2.048, 860).configWord(1), 0xD5E3);
    EXPECT_EQ(Ads1115(I2cDevice(bus, 0x48), 6.144, 8).configWord(2), 0xE103);
}

TEST(Ads1115, RejectsWhatTheChipCannotDo) {
    auto bus = std::make_shared<testing::FakeI2cBus>();
    EXPECT_THROW(Ads1115(I2cDevice(bus, 0x48), 5.0, 128), std::invalid_argument);
    EXPECT_THROW(Ads1115(I2cDevice(bus, 0x48), 4.096, 100), std::invalid_argument);
    EXPECT_THROW(Ads1115(I2cDevice(bus, 0x48)).configWord(4), std::invalid_argument);
}

TEST(Ads1115, ReadsTheConversionAsVolts) {
    auto bus = std::make_shared<testing::FakeI2cBus>();
    auto chip = std::make_shared<WordRegisters>();
    bus->attach(0x48, chip);
    chip->registers[0] = 0x4000;  // 16384 counts: half of full scale
    EXPECT_DOUBLE_EQ(Ads1115(I2cDevice(bus, 0x48), 4.096, 860).readVolts(0), 2.048);
    EXPECT_EQ(chip->registers[1], 0xC3E3);  // the conversion asked for: AIN0, ±4.096 V, 860 SPS
    chip->registers[0] = 0xC000;            // -16384 counts
    EXPECT_DOUBLE_EQ(Ads1115(I2cDevice(bus, 0x48), 2.048, 860).readVolts(2), -1.024);
}

TEST(Ads1115, AConversionThatNeverFinishesIsAnError) {
    auto bus = std::make_shared<testing::FakeI2cBus>("fake-adc");
    auto chip = std::make_shared<WordRegisters>();
    chip->stuck = true;
    bus->attach(0x48, chip);
    try {
        Ads1115(I2cDevice(bus, 0x48), 4.096, 860).readVolts(0);
        FAIL() << "no error";
    } catch (const BusError& error) {
        EXPECT_STREQ(error.what(), "fake-adc address 0x48: ADS1115 conversion did not finish");
    }
}

}  // namespace
}  // namespace citysense
