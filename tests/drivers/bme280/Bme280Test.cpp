// The bme280 driver through the real plugin library, on a Bme280Emulator attached to a FakeI2cBus:
// the datasheet vector, the humidity calibration's signed 12-bit H4/H5, chip ids, the reset and
// measurement handshakes, skipped channels, register order and bus failures. Also the compensation
// functions on their own and the emulator's own behaviour.

#include "Bme280Compensation.h"
#include "Bme280Emulator.h"
#include "Bme280TestVectors.h"

#include <PluginHarness.h>

#include <citysense/testing/FakeI2cBus.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace citysense::bme280 {
namespace {

using namespace citysense::bme280::testdata;
using test::errorOf;
using test::optionKeyOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using Settings = std::map<std::string, std::string>;
using Write = std::pair<std::uint8_t, std::uint8_t>;

const char* const kBus = "fake-bme";

/// The humidity formula of BME280 datasheet section 8.1 (bme280_compensate_H_double), written out here
/// again from the datasheet with the calibration as plain numbers, so that the driver is checked against
/// the datasheet and not against itself.
double datasheetHumidity(double adcH, double tFine, double h1, double h2, double h3, double h4, double h5,
                         double h6) {
    double varH = tFine - 76800.0;
    varH = (adcH - (h4 * 64.0 + h5 / 16384.0 * varH)) *
           (h2 / 65536.0 * (1.0 + h6 / 67108864.0 * varH * (1.0 + h3 / 67108864.0 * varH)));
    varH = varH * (1.0 - h1 * varH / 524288.0);
    return varH > 100.0 ? 100.0 : (varH < 0.0 ? 0.0 : varH);
}

/// The value of the only sample of `quantity` in `batch`, if there is one.
std::optional<double> valueOf(const SampleBatch& batch, Quantity quantity) {
    std::optional<double> value;
    for (const auto& sample : batch) {
        if (sample.quantity == quantity) {
            EXPECT_FALSE(value) << info(quantity).name << " appears twice";
            value = sample.value;
        }
    }
    return value;
}

std::vector<Quantity> quantitiesOf(const std::vector<Channel>& channels) {
    std::vector<Quantity> list;
    for (const auto& channel : channels)
        list.push_back(channel.quantity);
    return list;
}

// ---- compensation, on its own -------------------------------------------------------------------

TEST(Bme280Compensation, DecodesTheDatasheetCalibration) {
    const Calibration c =
        decodeCalibration(kDatasheetCalibration.data(), kNegativeHumidityCalibration.data());
    EXPECT_EQ(c.digT1, 27504);
    EXPECT_EQ(c.digT2, 26435);
    EXPECT_EQ(c.digT3, -1000);
    EXPECT_EQ(c.digP1, 36477);
    EXPECT_EQ(c.digP2, -10685);
    EXPECT_EQ(c.digP3, 3024);
    EXPECT_EQ(c.digP4, 2855);
    EXPECT_EQ(c.digP5, 140);
    EXPECT_EQ(c.digP6, -7);
    EXPECT_EQ(c.digP7, 15500);
    EXPECT_EQ(c.digP8, -14600);
    EXPECT_EQ(c.digP9, 6000);
    EXPECT_EQ(c.digH1, kH1);
}

TEST(Bme280Compensation, DecodesNegativeH4AndH5AsSigned12BitValues) {
    const Calibration c =
        decodeCalibration(kDatasheetCalibration.data(), kNegativeHumidityCalibration.data());
    EXPECT_EQ(c.digH2, kH2);
    EXPECT_EQ(c.digH3, kH3);
    EXPECT_EQ(c.digH4, -249);
    EXPECT_EQ(c.digH5, -22);
    EXPECT_EQ(c.digH6, kH6);

    // The extremes of 12 bits, and the nibbles of 0xE5 kept apart.
    const std::vector<std::uint8_t> lowest = {0, 0, 0, 0x80, 0x00, 0x80, 0};
    const Calibration low = decodeCalibration(kDatasheetCalibration.data(), lowest.data());
    EXPECT_EQ(low.digH4, -2048);
    EXPECT_EQ(low.digH5, -2048);
    const std::vector<std::uint8_t> highest = {0, 0, 0, 0x7F, 0xFF, 0x7F, 0};
    const Calibration high = decodeCalibration(kDatasheetCalibration.data(), highest.data());
    EXPECT_EQ(high.digH4, 2047);
    EXPECT_EQ(high.digH5, 2047);
    const std::vector<std::uint8_t> typical = {0x6A, 0x01, 0x00, 0x13, 0x2B, 0x03, 0x1E};
    const Calibration common = decodeCalibration(kDatasheetCalibration.data(), typical.data());
    EXPECT_EQ(common.digH2, 362);
    EXPECT_EQ(common.digH4, 0x13 * 16 + 0xB);
    EXPECT_EQ(common.digH5, 0x03 * 16 + 0x2);
}

TEST(Bme280Compensation, DatasheetVectorGivesTFineTemperatureAndPressure) {
    const std::uint8_t burst[] = {0x65, 0x5A, 0xC0, 0x7E, 0xED, 0x00};
    const RawReading raw = decodeBurst(burst, false);
    EXPECT_EQ(raw.pressure, kDatasheetAdcP);
    EXPECT_EQ(raw.temperature, kDatasheetAdcT);

    const Calibration c = decodeCalibration(kDatasheetCalibration.data(), nullptr);
    std::int32_t tFine = 0;
    EXPECT_NEAR(compensateTemperature(c, raw.temperature, tFine), 25.08, 0.005);
    EXPECT_EQ(tFine, kDatasheetTFine);
    // The datasheet's table gives 100653.27 Pa; its code, with t_fine truncated to 128422, 100653.258.
    EXPECT_NEAR(compensatePressure(c, raw.pressure, tFine), 100653.27, 0.02);
}

TEST(Bme280Compensation, HumidityFollowsTheDatasheetFormulaAndIsClamped) {
    const Calibration c =
        decodeCalibration(kDatasheetCalibration.data(), kNegativeHumidityCalibration.data());
    const double expected = datasheetHumidity(kAdcH, kDatasheetTFine, kH1, kH2, kH3, kH4, kH5, kH6);
    ASSERT_GT(expected, 1.0);  // a value inside the range: the formula, not the clamp, is under test
    ASSERT_LT(expected, 99.0);
    EXPECT_DOUBLE_EQ(compensateHumidity(c, kAdcH, kDatasheetTFine), expected);
    EXPECT_EQ(compensateHumidity(c, 0xFFFF, kDatasheetTFine), 100.0);
    Calibration positiveH4 = c;
    positiveH4.digH4 = 313;  // adc_H 0 is then below the offset: a negative humidity before the clamp
    EXPECT_EQ(compensateHumidity(positiveH4, 0, kDatasheetTFine), 0.0);
}

TEST(Bme280Compensation, PressureWithZeroP1IsAnErrorNotZeroPascal) {
    Calibration c = decodeCalibration(kDatasheetCalibration.data(), nullptr);
    c.digP1 = 0;
    EXPECT_THROW(compensatePressure(c, kDatasheetAdcP, kDatasheetTFine), std::runtime_error);
}

// ---- the emulator ---------------------------------------------------------------------------------

class Bme280EmulatorTest : public ::testing::Test {
protected:
    void write(std::uint8_t reg, std::uint8_t value) {
        const std::uint8_t bytes[] = {reg, value};
        chip.write(bytes, sizeof bytes);
    }

    std::vector<std::uint8_t> read(std::uint8_t reg, std::size_t count) {
        std::vector<std::uint8_t> bytes(count);
        chip.write(&reg, 1);
        chip.read(bytes.data(), count);
        return bytes;
    }

    Bme280Emulator chip;
};

TEST_F(Bme280EmulatorTest, SkippedChannelsReadTheirSentinelsAndTheModeReturnsToSleep) {
    chip.setAdc(0x12345, 0x6789A, 0xBCDE);
    chip.setMeasuringReads(0);
    write(0xF2, 0x00);                 // humidity skipped
    write(0xF4, 1 << 5 | 0 << 2 | 1);  // temperature x1, pressure skipped, forced
    EXPECT_THAT(read(0xF7, 8), ElementsAre(0x80, 0x00, 0x00, 0x67, 0x89, 0xA0, 0x80, 0x00));
    EXPECT_EQ(read(0xF4, 1)[0], 1 << 5);
}

TEST_F(Bme280EmulatorTest, CtrlHumCountsOnlyFromTheNextCtrlMeasWrite) {
    chip.setAdc(0x12345, 0x6789A, 0xBCDE);
    chip.setMeasuringReads(0);
    write(0xF4, 1 << 5 | 1 << 2 | 0);
    write(0xF2, 0x01);
    write(0xF4, 1 << 5 | 1 << 2 | 1);  // this write latches ctrl_hum
    EXPECT_THAT(read(0xF7, 8), ElementsAre(0x12, 0x34, 0x50, 0x67, 0x89, 0xA0, 0xBC, 0xDE));

    Bme280Emulator fresh;
    fresh.setMeasuringReads(0);
    const std::uint8_t hum[] = {0xF2, 0x01};
    const std::uint8_t forced[] = {0xF4, 1 << 5 | 1 << 2 | 1};
    fresh.write(forced, sizeof forced);  // ctrl_hum written only after: humidity still skipped
    fresh.write(hum, sizeof hum);
    std::uint8_t data[8] = {};
    const std::uint8_t pointer = 0xF7;
    fresh.write(&pointer, 1);
    fresh.read(data, sizeof data);
    EXPECT_EQ(data[6], 0x80);
    EXPECT_EQ(data[7], 0x00);
}

TEST_F(Bme280EmulatorTest, DataAppearsOnlyAfterTheMeasuringReads) {
    chip.setAdc(0x12345, 0x6789A, 0xBCDE);
    chip.setMeasuringReads(2);
    write(0xF2, 0x01);
    write(0xF4, 1 << 5 | 1 << 2 | 1);
    EXPECT_EQ(read(0xF3, 1)[0] & 0x08, 0x08);
    EXPECT_EQ(read(0xF7, 1)[0], 0x80);  // still the reset value
    EXPECT_EQ(read(0xF3, 1)[0] & 0x08, 0x08);
    EXPECT_EQ(read(0xF3, 1)[0] & 0x08, 0x00);
    EXPECT_EQ(read(0xF7, 1)[0], 0x12);
}

TEST_F(Bme280EmulatorTest, ResetRestoresDefaultsKeepsCalibrationAndIgnoresReadOnlyWrites) {
    chip.setCalibration(kDatasheetCalibration, kNegativeHumidityCalibration);
    write(0xF2, 0x03);
    write(0xF5, 0x10);
    write(0xD0, 0x11);  // read-only
    write(0x88, 0x11);  // read-only
    write(0xE0, 0xB6);
    EXPECT_EQ(chip.resets(), 1);
    EXPECT_EQ(read(0xF3, 1)[0], 0x01);  // im_update for one read
    EXPECT_EQ(read(0xF3, 1)[0], 0x00);
    EXPECT_THAT(read(0xF2, 4), ElementsAre(0, 0, 0, 0));
    EXPECT_EQ(read(0xD0, 1)[0], 0x60);
    EXPECT_EQ(read(0x88, 2),
              std::vector<std::uint8_t>(kDatasheetCalibration.begin(), kDatasheetCalibration.begin() + 2));
    EXPECT_EQ(read(0xE1, 7), kNegativeHumidityCalibration);
}

// ---- the driver, through the plugin ---------------------------------------------------------------

class Bme280Driver : public ::testing::Test {
protected:
    void SetUp() override { attach(0x60, 0x76); }

    void TearDown() override { registerI2cBus(kBus, nullptr); }

    /// A fresh bus with a fresh chip answering `chipId` at `address`.
    void attach(std::uint8_t chipId, std::uint8_t address) {
        bus = std::make_shared<citysense::testing::FakeI2cBus>(kBus);
        chip = std::make_shared<Bme280Emulator>(chipId);
        chip->setCalibration(kDatasheetCalibration, kNegativeHumidityCalibration);
        chip->setAdc(kDatasheetAdcP, kDatasheetAdcT, kAdcH);
        bus->attach(address, chip);
        registerI2cBus(kBus, bus);
    }

    static std::unique_ptr<Driver> driver(Settings settings = {}) {
        settings.emplace("bus", kBus);
        return citysense::test::makeDriver("bme280", settings);
    }

    static SampleBatch readOnce(Driver& instance) {
        SampleBatch batch;
        instance.read(batch);
        return batch;
    }

    std::shared_ptr<citysense::testing::FakeI2cBus> bus;
    std::shared_ptr<Bme280Emulator> chip;
};

TEST_F(Bme280Driver, ReadsTheDatasheetVector) {
    auto bme = driver();
    bme->open();
    const SampleBatch batch = readOnce(*bme);
    ASSERT_EQ(batch.size(), 3u);
    EXPECT_NEAR(*valueOf(batch, Quantity::Temperature), 25.08, 0.005);
    EXPECT_NEAR(*valueOf(batch, Quantity::Pressure), 100653.27, 0.02);
    for (const auto& sample : batch) {
        EXPECT_EQ(sample.quality, QualityOk);
        EXPECT_EQ(sample.source, bme->source());
        EXPECT_EQ(sample.time, batch.front().time);
    }
    EXPECT_EQ(chip->measurements(), 1);
    bme->close();
}

TEST_F(Bme280Driver, HumidityWithNegativeH4AndH5MatchesTheDatasheetFormula) {
    auto bme = driver();
    bme->open();
    const double expected = datasheetHumidity(kAdcH, kDatasheetTFine, kH1, kH2, kH3, kH4, kH5, kH6);
    ASSERT_GT(expected, 1.0);
    ASSERT_LT(expected, 99.0);
    EXPECT_NEAR(*valueOf(readOnce(*bme), Quantity::Humidity), expected, 1e-9);

    // Read as unsigned 12 bit (the bug of several libraries), H4 and H5 would give another value.
    const double unsignedH4H5 = datasheetHumidity(kAdcH, kDatasheetTFine, kH1, kH2, kH3, 0xF07, 0xFEA, kH6);
    EXPECT_GT(std::abs(expected - unsignedH4H5), 1.0);
}

TEST_F(Bme280Driver, ChannelsHaveTheDatasheetRanges) {
    auto bme = driver();
    const std::vector<Channel> channels = bme->channels();
    ASSERT_EQ(channels.size(), 3u);
    EXPECT_EQ(channels[0].quantity, Quantity::Temperature);
    EXPECT_EQ(channels[0].min, -40.0);
    EXPECT_EQ(channels[0].max, 85.0);
    EXPECT_EQ(channels[1].quantity, Quantity::Pressure);
    EXPECT_EQ(channels[1].min, 30000.0);
    EXPECT_EQ(channels[1].max, 110000.0);
    EXPECT_EQ(channels[2].quantity, Quantity::Humidity);
    EXPECT_EQ(channels[2].min, 0.0);
    EXPECT_EQ(channels[2].max, 100.0);
}

TEST_F(Bme280Driver, ConfigureDoesNotTouchTheBus) {
    auto bme = driver();
    EXPECT_TRUE(chip->writes().empty());
    EXPECT_EQ(chip->statusReads(), 0);
}

TEST_F(Bme280Driver, WrongChipIdIsAnErrorNamingTheIdAndTheDevice) {
    attach(0x55, 0x76);
    auto bme = driver();
    const std::string error = errorOf([&] { bme->open(); });
    EXPECT_THAT(error, HasSubstr("chip id 0x55"));
    EXPECT_THAT(error, HasSubstr("fake-bme address 0x76"));
    EXPECT_TRUE(chip->writes().empty()) << "a wrong chip must not be reset";
}

TEST_F(Bme280Driver, Bmp280HasNoHumidityChannel) {
    attach(0x58, 0x76);
    auto bme = driver();
    bme->open();
    EXPECT_THAT(quantitiesOf(bme->channels()), ElementsAre(Quantity::Temperature, Quantity::Pressure));
    const SampleBatch batch = readOnce(*bme);
    ASSERT_EQ(batch.size(), 2u);
    EXPECT_NEAR(*valueOf(batch, Quantity::Temperature), 25.08, 0.005);
    EXPECT_NEAR(*valueOf(batch, Quantity::Pressure), 100653.27, 0.02);
    for (const auto& [reg, value] : chip->writes())
        EXPECT_NE(reg, 0xF2) << "a BMP280 has no ctrl_hum";
}

TEST_F(Bme280Driver, ResetWaitsWhileImUpdateIsSet) {
    chip->setImUpdateReads(4);
    auto bme = driver();
    bme->open();
    EXPECT_EQ(chip->resets(), 1);
    ASSERT_FALSE(chip->writes().empty());
    EXPECT_EQ(chip->writes().front(), Write(0xE0, 0xB6));
    EXPECT_EQ(chip->statusReads(), 5);  // four with im_update set, then the clear one
    EXPECT_NEAR(*valueOf(readOnce(*bme), Quantity::Temperature), 25.08, 0.005);
}

TEST_F(Bme280Driver, ResetThatDoesNotFinishIsAFault) {
    chip->setImUpdateReads(5);
    auto bme = driver();
    EXPECT_THAT(errorOf([&] { bme->open(); }), HasSubstr("im_update"));
    EXPECT_EQ(chip->statusReads(), 5);
}

TEST_F(Bme280Driver, MeasuringBitIsPolledUntilClear) {
    auto bme = driver();
    bme->open();
    chip->setMeasuringReads(3);
    const int before = chip->statusReads();
    const SampleBatch batch = readOnce(*bme);
    EXPECT_EQ(chip->statusReads() - before, 4);
    EXPECT_NEAR(*valueOf(batch, Quantity::Temperature), 25.08, 0.005);
    EXPECT_NEAR(*valueOf(batch, Quantity::Pressure), 100653.27, 0.02);
}

TEST_F(Bme280Driver, MeasurementThatDoesNotFinishIsAFault) {
    auto bme = driver();
    bme->open();
    chip->setMeasuringReads(1000);
    EXPECT_THAT(errorOf([&] { readOnce(*bme); }), HasSubstr("measurement not finished"));
}

TEST_F(Bme280Driver, ReadWaitsTheDatasheetMaximumMeasurementTime) {
    // All x16: t_max = 1.25 + 2.3*16 + (2.3*16 + 0.575) + (2.3*16 + 0.575) ms = 112.8 ms (datasheet 9.1).
    auto bme = driver({{"oversampling_temperature", "16"},
                       {"oversampling_pressure", "16"},
                       {"oversampling_humidity", "16"}});
    bme->open();
    chip->setMeasuringReads(0);
    const auto start = std::chrono::steady_clock::now();
    readOnce(*bme);
    EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::microseconds(112800));
}

TEST_F(Bme280Driver, HumidityComesBackByItselfAfterABrownOutBetweenReads) {
    auto bme = driver();
    bme->open();
    readOnce(*bme);
    chip->brownOut();  // ctrl_hum back to 0; every measurement writes it again before ctrl_meas
    EXPECT_NEAR(*valueOf(readOnce(*bme), Quantity::Humidity),
                datasheetHumidity(kAdcH, kDatasheetTFine, kH1, kH2, kH3, kH4, kH5, kH6), 1e-9);
}

TEST_F(Bme280Driver, TemperatureSkippedInABrownOutIsAFault) {
    auto bme = driver();
    bme->open();
    chip->brownOutInNextMeasurement();
    EXPECT_THAT(errorOf([&] { readOnce(*bme); }), HasSubstr("temperature was skipped (raw 0x80000"));
}

TEST_F(Bme280Driver, MeasuredValuesEqualToTheSentinelsAreReadings) {
    // 0x80000 is about 26.5 °C with this calibration: a chip that measured it must not be called skipped.
    chip->setAdc(0x80000, 0x80000, 0x8000);
    auto bme = driver();
    bme->open();
    const SampleBatch batch = readOnce(*bme);
    ASSERT_EQ(batch.size(), 3u);
    const Calibration c =
        decodeCalibration(kDatasheetCalibration.data(), kNegativeHumidityCalibration.data());
    std::int32_t tFine = 0;
    EXPECT_DOUBLE_EQ(*valueOf(batch, Quantity::Temperature), compensateTemperature(c, 0x80000, tFine));
    EXPECT_DOUBLE_EQ(*valueOf(batch, Quantity::Pressure), compensatePressure(c, 0x80000, tFine));
    EXPECT_DOUBLE_EQ(*valueOf(batch, Quantity::Humidity),
                     datasheetHumidity(0x8000, tFine, kH1, kH2, kH3, kH4, kH5, kH6));
}

TEST_F(Bme280Driver, WritesCtrlHumBeforeCtrlMeasThenConfigThenForcedMode) {
    auto bme = driver({{"oversampling_temperature", "2"},
                       {"oversampling_pressure", "16"},
                       {"oversampling_humidity", "4"},
                       {"filter", "8"}});
    bme->open();
    // osrs_h x4 = 3; ctrl_meas osrs_t x2 = 2, osrs_p x16 = 5, sleep: 2<<5 | 5<<2 = 0x54; filter 8 = 3<<2.
    EXPECT_THAT(chip->writes(),
                ElementsAre(Write(0xE0, 0xB6), Write(0xF2, 0x03), Write(0xF4, 0x54), Write(0xF5, 0x0C)));
    readOnce(*bme);
    EXPECT_EQ(chip->writes().back(), Write(0xF4, 0x55));  // the same with mode 01, forced
    EXPECT_EQ(chip->registers[0xF4] & 0x03, 0) << "back in sleep mode after the measurement";
}

TEST_F(Bme280Driver, OversamplingOffDropsTheChannel) {
    auto bme = driver({{"oversampling_pressure", "off"}});
    EXPECT_THAT(quantitiesOf(bme->channels()), ElementsAre(Quantity::Temperature, Quantity::Humidity));
    bme->open();
    const SampleBatch batch = readOnce(*bme);
    EXPECT_EQ(batch.size(), 2u);
    EXPECT_FALSE(valueOf(batch, Quantity::Pressure));
    EXPECT_EQ(chip->registers[0xF4] >> 2 & 0x07, 0) << "pressure skipped in the chip too";
}

TEST_F(Bme280Driver, TemperatureOffIsStillMeasuredForPressureAndHumidity) {
    auto bme = driver({{"oversampling_temperature", "off"}, {"oversampling_humidity", "off"}});
    EXPECT_THAT(quantitiesOf(bme->channels()), ElementsAre(Quantity::Pressure));
    bme->open();
    const SampleBatch batch = readOnce(*bme);
    ASSERT_EQ(batch.size(), 1u);
    EXPECT_NEAR(*valueOf(batch, Quantity::Pressure), 100653.27, 0.02);
    EXPECT_EQ(chip->registers[0xF4] >> 5, 1) << "temperature measured at x1";
    EXPECT_EQ(chip->registers[0xF2], 0) << "humidity skipped";
}

TEST_F(Bme280Driver, EveryOversamplingOffIsAConfigurationError) {
    EXPECT_THAT(errorOf([] {
                    driver({{"oversampling_temperature", "off"},
                            {"oversampling_pressure", "off"},
                            {"oversampling_humidity", "off"}});
                }),
                HasSubstr("nothing to read"));
}

TEST_F(Bme280Driver, AddressIsTakenInHexAndChecked) {
    attach(0x60, 0x77);
    auto bme = driver({{"address", "0x77"}});
    bme->open();
    EXPECT_NEAR(*valueOf(readOnce(*bme), Quantity::Temperature), 25.08, 0.005);
    EXPECT_THAT(errorOf([] { driver({{"address", "0x50"}}); }), HasSubstr("address"));
    EXPECT_EQ(optionKeyOf([] {
                  driver({{"iio_device", "/sys/bus/iio/devices/iio:device0"}});
              }),
              "iio_device");
}

TEST_F(Bme280Driver, NoChipAtTheAddressIsABusError) {
    auto bme = driver({{"address", "0x77"}});
    try {
        bme->open();
        FAIL() << "open() succeeded without a chip";
    } catch (const BusError& error) {
        EXPECT_THAT(error.what(), HasSubstr("fake-bme address 0x77"));
    }
}

TEST_F(Bme280Driver, BusFailureIsABusErrorNamingTheBusAndAddress) {
    auto bme = driver();
    bme->open();
    bus->failing(true);
    try {
        readOnce(*bme);
        FAIL() << "read() succeeded on a failing bus";
    } catch (const BusError& error) {
        EXPECT_THAT(error.what(), HasSubstr("fake-bme address 0x76"));
    }
    bus->failing(false);
    bme->close();
    bme->open();
    EXPECT_EQ(readOnce(*bme).size(), 3u);
}

}  // namespace
}  // namespace citysense::bme280
