// The ADS1115 emulator the gas and wind vane tests rely on, checked against the datasheet (SBAS444):
// reset values, MUX and PGA fields, the OS bit during a conversion, the output code's rounding and
// clamping. Driven through the SDK's citysense::Ads1115 where a driver would use it, and register by
// register where the datasheet's detail matters.

#include <citysense/chips/Ads1115.h>
#include <citysense/testing/FakeI2cBus.h>
#include <citysense/testing/chips/Ads1115Emulator.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <stdexcept>

namespace citysense {
namespace {

using testing::Ads1115Emulator;
using testing::Ads1115Journal;
using testing::Ads1115Operation;
using ::testing::ElementsAre;

constexpr std::uint8_t kConversion = 0x00;
constexpr std::uint8_t kConfig = 0x01;

class Ads1115EmulatorTest : public ::testing::Test {
protected:
    void SetUp() override { bus->attach(0x48, chip); }

    I2cDevice device() { return I2cDevice(bus, 0x48); }

    std::shared_ptr<testing::FakeI2cBus> bus = std::make_shared<testing::FakeI2cBus>("fake-ads");
    std::shared_ptr<Ads1115Journal> journal = std::make_shared<Ads1115Journal>();
    std::shared_ptr<Ads1115Emulator> chip = std::make_shared<Ads1115Emulator>(0x48, journal);
};

TEST_F(Ads1115EmulatorTest, PowersUpWithTheDatasheetResetValues) {
    I2cDevice registers = device();
    EXPECT_EQ(registers.readRegister16(kConversion), 0x0000);
    EXPECT_EQ(registers.readRegister16(kConfig), 0x8583);
    EXPECT_EQ(registers.readRegister16(0x02), 0x8000);  // Lo_thresh
    EXPECT_EQ(registers.readRegister16(0x03), 0x7FFF);  // Hi_thresh
}

TEST_F(Ads1115EmulatorTest, ConvertsTheInputTheMuxSelects) {
    Ads1115 adc(device(), 4.096, 128);
    const double inputs[] = {0.125, 1.5, 2.25, 3.0};
    for (int channel = 0; channel < 4; ++channel)
        chip->setInput(channel, inputs[channel]);
    for (int channel = 0; channel < 4; ++channel)
        EXPECT_DOUBLE_EQ(adc.readVolts(channel), inputs[channel]) << "AIN" << channel;  // exact codes
    EXPECT_THAT(chip->configWrites(), ElementsAre(0xC383, 0xD383, 0xE383, 0xF383));
    EXPECT_EQ(chip->conversions(), 4);
}

TEST_F(Ads1115EmulatorTest, ScalesByThePgaRangeOfTheConfigWord) {
    chip->setInput(0, 0.25);
    for (const double fullScale : Ads1115::kFullScales) {
        Ads1115 adc(device(), fullScale, 128);
        // One code is fullScale / 32768 V; 0.25 V is within 0.256 V, the smallest range.
        EXPECT_NEAR(adc.readVolts(0), 0.25, fullScale / 32768 / 2) << "±" << fullScale << " V";
    }
    // PGA 000..101 in bits 11:9.
    EXPECT_THAT(chip->configWrites(), ElementsAre(0xC183, 0xC383, 0xC583, 0xC783, 0xC983, 0xCB83));
}

TEST_F(Ads1115EmulatorTest, CodesAreRoundedAndClampedToSixteenBits) {
    EXPECT_EQ(Ads1115Emulator::codeFor(0.300, 4.096), 2400);
    EXPECT_EQ(Ads1115Emulator::codeFor(0.300 + 0.4 * 0.000125, 4.096), 2400);
    EXPECT_EQ(Ads1115Emulator::codeFor(0.300 + 0.6 * 0.000125, 4.096), 2401);
    EXPECT_EQ(Ads1115Emulator::codeFor(-0.001, 4.096), -8);
    EXPECT_EQ(Ads1115Emulator::codeFor(4.096, 4.096), 32767);  // +FS reads 7FFFh
    EXPECT_EQ(Ads1115Emulator::codeFor(5.0, 4.096), 32767);
    EXPECT_EQ(Ads1115Emulator::codeFor(-4.096, 4.096), -32768);  // -FS reads 8000h
    EXPECT_EQ(Ads1115Emulator::codeFor(-5.0, 4.096), -32768);

    chip->setInput(1, 5.0);
    Ads1115 adc(device(), 4.096, 128);
    EXPECT_DOUBLE_EQ(adc.readVolts(1), 4.096 * 32767 / 32768);
}

TEST_F(Ads1115EmulatorTest, OsReadsZeroForTheConfiguredReadsThenTheResultIsThere) {
    I2cDevice registers = device();
    chip->setInput(0, 0.300);
    chip->setBusyReads(2);
    registers.writeRegister16(kConfig, 0xC383);
    EXPECT_EQ(registers.readRegister16(kConfig), 0x4383);  // OS 0: converting
    EXPECT_EQ(registers.readRegister16(kConversion), 0);   // still the previous result
    EXPECT_EQ(registers.readRegister16(kConfig), 0x4383);
    EXPECT_EQ(registers.readRegister16(kConfig), 0xC383);  // OS 1: done
    EXPECT_EQ(registers.readRegister16(kConversion), 2400);
}

TEST_F(Ads1115EmulatorTest, JournalShowsStartPollsAndResult) {
    chip->setBusyReads(3);
    Ads1115 adc(device(), 4.096, 128);
    adc.readVolts(0);
    using Op = Ads1115Operation;
    EXPECT_THAT(journal->operations(),
                ElementsAre(Op{0x48, Op::Start}, Op{0x48, Op::Poll}, Op{0x48, Op::Poll}, Op{0x48, Op::Poll},
                            Op{0x48, Op::Poll}, Op{0x48, Op::Result}));
}

TEST_F(Ads1115EmulatorTest, TheSdkGivesUpOnAConversionThatNeverEnds) {
    chip->setBusyReads(1000);
    Ads1115 adc(device(), 4.096, 128);
    EXPECT_THROW(adc.readVolts(0), BusError);
}

TEST_F(Ads1115EmulatorTest, RejectsWhatNoDriverShouldDo) {
    I2cDevice registers = device();
    EXPECT_THROW(registers.readRegister16(0x04), std::logic_error);              // no such register
    EXPECT_THROW(registers.writeRegister16(kConversion, 0), std::logic_error);   // read-only
    EXPECT_THROW(registers.writeRegister(kConfig, 0xC3), std::logic_error);      // half a register
    EXPECT_THROW(registers.writeRegister16(kConfig, 0xC283), std::logic_error);  // continuous mode
    EXPECT_THROW(registers.writeRegister16(kConfig, 0x8383), std::logic_error);  // AIN0 - AIN1
}

}  // namespace
}  // namespace citysense
