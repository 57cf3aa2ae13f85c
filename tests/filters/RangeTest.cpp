#include <PluginHarness.h>

#include <gtest/gtest.h>

#include <limits>

using namespace citysense;
using citysense::test::makeFilter;
using citysense::test::testSample;

namespace {

constexpr Micros kTime = 1795514400 * kMicrosPerSecond;

/// The quality the filter gives one sample.
std::uint16_t qualityOf(Filter& filter, Quantity quantity, double value, std::uint16_t quality = QualityOk) {
    SampleBatch batch{testSample(quantity, value, kTime, quality)};
    filter.process(batch);
    EXPECT_EQ(batch.size(), 1u);
    return batch.at(0).quality;
}

}  // namespace

TEST(Range, DefaultsToThePhysicalBoundsOfTheQuantity) {
    auto filter = makeFilter("range", {});
    EXPECT_EQ(qualityOf(*filter, Quantity::Temperature, -90.0), QualityOk);
    EXPECT_EQ(qualityOf(*filter, Quantity::Temperature, 60.0), QualityOk);
    EXPECT_EQ(qualityOf(*filter, Quantity::Temperature, -90.5), QualityOutOfRange);
    EXPECT_EQ(qualityOf(*filter, Quantity::Temperature, 61.0), QualityOutOfRange);
    EXPECT_EQ(qualityOf(*filter, Quantity::Humidity, 101.0), QualityOutOfRange);
    EXPECT_EQ(qualityOf(*filter, Quantity::Pressure, 101325.0), QualityOk);
}

TEST(Range, KeepsOtherFlagsAndEverySample) {
    auto filter = makeFilter("range", {});
    SampleBatch batch{testSample(Quantity::Humidity, 120.0, kTime, QualityWarmingUp),
                      testSample(Quantity::Humidity, 50.0, kTime, QualitySimulated)};
    filter->process(batch);
    ASSERT_EQ(batch.size(), 2u);
    EXPECT_EQ(batch[0].quality, QualityWarmingUp | QualityOutOfRange);
    EXPECT_EQ(batch[1].quality, QualitySimulated);
}

TEST(Range, PerQuantityOverride) {
    auto filter = makeFilter("range", {{"temperature.min", "-40"}, {"temperature.max", "50"}});
    EXPECT_EQ(qualityOf(*filter, Quantity::Temperature, -45.0), QualityOutOfRange);
    EXPECT_EQ(qualityOf(*filter, Quantity::Temperature, 55.0), QualityOutOfRange);
    EXPECT_EQ(qualityOf(*filter, Quantity::Temperature, 30.0), QualityOk);
    EXPECT_EQ(qualityOf(*filter, Quantity::TemperatureF, -45.0), QualityOk);
}

TEST(Range, PlainOptionOverridesForAllQuantities) {
    auto filter = makeFilter("range", {{"min", "0"}, {"humidity.min", "10"}});
    EXPECT_EQ(qualityOf(*filter, Quantity::Temperature, -1.0), QualityOutOfRange);
    EXPECT_EQ(qualityOf(*filter, Quantity::Pressure, 1000.0), QualityOk);
    EXPECT_EQ(qualityOf(*filter, Quantity::Humidity, 5.0), QualityOutOfRange);
}

TEST(Range, NonFiniteValuesAreFlagged) {
    auto filter = makeFilter("range", {});
    EXPECT_EQ(qualityOf(*filter, Quantity::Temperature, std::numeric_limits<double>::quiet_NaN()),
              QualityOutOfRange);
    EXPECT_EQ(qualityOf(*filter, Quantity::Temperature, std::numeric_limits<double>::infinity()),
              QualityOutOfRange);
}

TEST(Range, MinAboveMaxIsRejected) {
    try {
        makeFilter("range", {{"temperature.min", "10"}, {"temperature.max", "5"}});
        FAIL() << "no OptionError";
    } catch (const OptionError& error) {
        EXPECT_EQ(error.key(), "temperature.min");
    }
    try {
        makeFilter("range", {{"min", "70"}});  // above temperature's physical maximum
        FAIL() << "no OptionError";
    } catch (const OptionError& error) {
        EXPECT_EQ(error.key(), "min");
        EXPECT_NE(std::string(error.what()).find("temperature"), std::string::npos) << error.what();
    }
}
