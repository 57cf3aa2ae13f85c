// The wind_vane driver through the real plugin library, against an emulated ADS1115 on a fake bus:
// all 16 directions from the divider voltages of HARDWARE.md's resistance table, the nearest entry
// between two, a disconnected vane flagged, the mounting offset wrapped, the ADC word written.

#include <PluginHarness.h>

#include <citysense/testing/FakeI2cBus.h>
#include <citysense/testing/chips/Ads1115Emulator.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>

namespace citysense {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using Settings = std::map<std::string, std::string>;

constexpr char kBus[] = "fake-ads";

/// HARDWARE.md's table (SparkFun weather meter datasheet): direction and resistance.
struct Row {
    double degrees;
    double ohms;
};
constexpr Row kTable[] = {
    {0, 33000},    {22.5, 6570},   {45, 8200},   {67.5, 891},    {90, 1000},   {112.5, 688},
    {135, 2200},   {157.5, 1410},  {180, 3900},  {202.5, 3140},  {225, 16000}, {247.5, 14120},
    {270, 120000}, {292.5, 42120}, {315, 64900}, {337.5, 21880},
};

/// The divider voltage of `ohms` under a 10 kΩ pull-up to `supply`.
double dividerVolts(double ohms, double supply = 3.3) {
    return supply * ohms / (ohms + 10000);
}

class WindVane : public ::testing::Test {
protected:
    void SetUp() override {
        registerI2cBus(kBus, bus);
        bus->attach(0x48, adc);
    }
    void TearDown() override { registerI2cBus(kBus, nullptr); }

    /// A driver on the fake bus, opened; `changes` add to or override its options.
    std::unique_ptr<Driver> vane(Settings changes = {}) {
        changes.emplace("bus", kBus);
        auto driver = test::makeDriver("wind_vane", changes);
        driver->open();
        return driver;
    }

    /// One reading with the vane's output at `volts` (AIN0).
    Sample readAt(Driver& driver, double volts) {
        adc->setInput(0, volts);
        SampleBatch batch;
        driver.read(batch);
        EXPECT_EQ(batch.size(), 1u);
        return batch.at(0);
    }

    std::shared_ptr<testing::FakeI2cBus> bus = std::make_shared<testing::FakeI2cBus>(kBus);
    std::shared_ptr<testing::Ads1115Emulator> adc = std::make_shared<testing::Ads1115Emulator>(0x48);
};

TEST_F(WindVane, EveryDirectionFromItsDividerVoltageAtTheDefault3V3) {
    auto driver = vane();
    for (const Row& row : kTable) {
        const Sample sample = readAt(*driver, dividerVolts(row.ohms));
        EXPECT_EQ(sample.quantity, Quantity::WindDirection);
        EXPECT_EQ(sample.value, row.degrees) << row.ohms << " ohms";
        EXPECT_EQ(sample.quality, QualityOk) << row.degrees << " deg";
        EXPECT_EQ(sample.source, driver->source());
    }
}

TEST_F(WindVane, EveryDirectionFromTheDatasheetVoltagesAt5V) {
    auto driver = vane({{"supply_voltage", "5"}, {"full_scale", "6.144"}});
    // HARDWARE.md's V column (5 V, 10 kΩ), rounded to 10 mV. 315°: 64.9 kΩ gives 4.33 V, not the
    // column's 4.78 V (a slip in the SparkFun datasheet it was copied from).
    const std::map<double, double> column = {
        {0, 3.84},   {22.5, 1.98},  {45, 2.25},  {67.5, 0.41},  {90, 0.45},  {112.5, 0.32},
        {135, 0.90}, {157.5, 0.62}, {180, 1.40}, {202.5, 1.19}, {225, 3.08}, {247.5, 2.93},
        {270, 4.62}, {292.5, 4.04}, {315, 4.33}, {337.5, 3.43},
    };
    for (const auto& [degrees, volts] : column) {
        const Sample sample = readAt(*driver, volts);
        EXPECT_EQ(sample.value, degrees) << volts << " V";
        EXPECT_EQ(sample.quality, QualityOk) << volts << " V";
    }
    EXPECT_EQ(readAt(*driver, 4.78).quality, QualitySensorFault);  // the datasheet's 315° voltage
}

TEST_F(WindVane, BetweenTwoEntriesTheNearestWins) {
    auto driver = vane();
    const double east = dividerVolts(1000);          // 90°: 0.300 V
    const double eastNorthEast = dividerVolts(891);  // 67.5°: 0.270 V
    const double middle = (east + eastNorthEast) / 2;
    EXPECT_EQ(readAt(*driver, middle + 0.002).value, 90);
    EXPECT_EQ(readAt(*driver, middle - 0.002).value, 67.5);
    const double south = dividerVolts(3900);  // 180°: 0.926 V
    EXPECT_EQ(readAt(*driver, south + 0.05).value, 180);
    EXPECT_EQ(readAt(*driver, south + 0.05).quality, QualityOk);
}

TEST_F(WindVane, VoltagesFarFromEveryEntryAreFlaggedSensorFault) {
    auto driver = vane();
    const Sample open = readAt(*driver, 3.3);  // unplugged: the pull-up reads the supply
    EXPECT_EQ(open.quality, QualitySensorFault);
    EXPECT_EQ(open.value, 270);  // still the nearest direction, for whoever ignores the flag
    EXPECT_EQ(readAt(*driver, 0.0).quality, QualitySensorFault);  // shorted
    // Between 180° (0.926 V) and 22.5° (1.308 V), 0.19 V from both.
    EXPECT_EQ(readAt(*driver, 1.117).quality, QualitySensorFault);
    EXPECT_EQ(readAt(*driver, dividerVolts(1000)).quality, QualityOk);  // and back
}

TEST_F(WindVane, ToleranceSetsWhereTheFlagStarts) {
    auto driver = vane({{"tolerance", "0.02"}});
    const double north = dividerVolts(33000);
    EXPECT_EQ(readAt(*driver, north + 0.015).quality, QualityOk);
    EXPECT_EQ(readAt(*driver, north + 0.025).quality, QualitySensorFault);
}

TEST_F(WindVane, OffsetIsAddedAndWrapped) {
    auto quarter = vane({{"offset", "90"}});
    EXPECT_EQ(readAt(*quarter, dividerVolts(120000)).value, 0);    // 270 + 90
    EXPECT_EQ(readAt(*quarter, dividerVolts(21880)).value, 67.5);  // 337.5 + 90
    EXPECT_EQ(readAt(*quarter, dividerVolts(33000)).value, 90);    // 0 + 90
    auto back = vane({{"offset", "-22.5"}});
    EXPECT_EQ(readAt(*back, dividerVolts(33000)).value, 337.5);  // 0 - 22.5
    EXPECT_EQ(readAt(*back, dividerVolts(6570)).value, 0);       // 22.5 - 22.5
    auto full = vane({{"offset", "360"}});
    EXPECT_EQ(readAt(*full, dividerVolts(64900)).value, 315);
}

TEST_F(WindVane, WritesASingleShotConfigWordForItsInputAndRange) {
    auto other = std::make_shared<testing::Ads1115Emulator>(0x4A);
    bus->attach(0x4A, other);
    other->setInput(2, dividerVolts(8200, 5.0));
    auto driver =
        vane({{"address", "0x4a"}, {"channel", "2"}, {"supply_voltage", "5"}, {"full_scale", "6.144"}});
    SampleBatch batch;
    driver->read(batch);
    // MUX 110 (AIN2 vs GND), PGA 000 (±6.144 V), single-shot, 128 SPS, comparator off.
    EXPECT_THAT(other->configWrites(), ElementsAre(0xE183));
    EXPECT_EQ(adc->conversions(), 0);
    EXPECT_EQ(batch.at(0).value, 45);
}

TEST_F(WindVane, DefaultsReadAin0OfTheChipAt0x48) {
    auto driver = vane();
    readAt(*driver, dividerVolts(2200));
    EXPECT_THAT(adc->configWrites(), ElementsAre(0xC383));
}

TEST_F(WindVane, BusFaultsAreThrown) {
    auto driver = vane();
    bus->failing(true);
    SampleBatch batch;
    EXPECT_THROW(driver->read(batch), BusError);
    EXPECT_TRUE(batch.empty());
}

/// The key of the OptionError configuring with `settings` throws; the message of any other error.
std::string rejection(const Settings& settings) {
    try {
        test::makeDriver("wind_vane", settings);
    } catch (const OptionError& error) {
        return error.key();
    } catch (const std::exception& error) {
        return error.what();
    }
    return "(accepted)";
}

TEST(WindVaneOptions, SettingsThatCouldNotTellAFaultAreRejected) {
    EXPECT_EQ(rejection({}), "(accepted)");
    // At 3.3 V the lowest direction (112.5°) is at 0.212 V: a wider tolerance would pass 0 V for it.
    EXPECT_EQ(rejection({{"tolerance", "0.25"}}), "tolerance");
    // At 5 V the highest direction (270°) is at 4.615 V, beyond ±4.096 V.
    EXPECT_EQ(rejection({{"supply_voltage", "5"}}), "full_scale");
    EXPECT_EQ(rejection({{"supply_voltage", "5"}, {"full_scale", "6.144"}}), "(accepted)");
    EXPECT_EQ(rejection({{"full_scale", "2.048"}}), "full_scale");
    EXPECT_THAT(rejection({{"channel", "4"}}), HasSubstr("channel"));
    EXPECT_THAT(rejection({{"offset", "400"}}), HasSubstr("offset"));
    EXPECT_THAT(rejection({{"supply_voltage", "12"}}), HasSubstr("supply_voltage"));
}

TEST(WindVaneOptions, ChannelIsWindDirectionInDegrees) {
    auto driver = test::makeDriver("wind_vane", {});
    ASSERT_EQ(driver->channels().size(), 1u);
    EXPECT_EQ(driver->channels()[0].quantity, Quantity::WindDirection);
    EXPECT_EQ(driver->channels()[0].min, 0.0);
    EXPECT_EQ(driver->channels()[0].max, 360.0);
}

}  // namespace
}  // namespace citysense
