#include <PluginHarness.h>

#include <gtest/gtest.h>

using namespace citysense;
using citysense::test::makeFilter;
using citysense::test::testSample;

namespace {

constexpr Micros kTime = 1795514400 * kMicrosPerSecond;

SampleBatch convert(const std::map<std::string, std::string>& options, const SampleBatch& input) {
    auto filter = makeFilter("convert", options);
    SampleBatch batch = input;
    filter->process(batch);
    return batch;
}

void expectSample(const Sample& sample, Quantity quantity, double value) {
    EXPECT_EQ(sample.quantity, quantity);
    EXPECT_EQ(sample.value, value);
    EXPECT_EQ(sample.time, kTime);
    EXPECT_EQ(sample.quality, QualitySimulated);
    EXPECT_EQ(sample.source, testSample(quantity, value, kTime).source);
}

}  // namespace

TEST(Convert, AddsFahrenheitAfterCelsius) {
    const auto batch =
        convert({{"to", "temperature_f"}}, {testSample(Quantity::Temperature, 100.0, kTime, QualitySimulated),
                                            testSample(Quantity::Humidity, 50.0, kTime, QualitySimulated)});
    ASSERT_EQ(batch.size(), 3u);
    expectSample(batch[0], Quantity::Temperature, 100.0);
    expectSample(batch[1], Quantity::TemperatureF, 212.0);
    expectSample(batch[2], Quantity::Humidity, 50.0);
}

TEST(Convert, ReplacesCelsiusByFahrenheit) {
    const auto batch = convert({{"to", "temperature_f"}, {"mode", "replace"}},
                               {testSample(Quantity::Temperature, -40.0, kTime, QualitySimulated)});
    ASSERT_EQ(batch.size(), 1u);
    expectSample(batch[0], Quantity::TemperatureF, -40.0);
}

TEST(Convert, AddsCelsiusAfterFahrenheit) {
    const auto batch = convert({{"to", "temperature"}},
                               {testSample(Quantity::TemperatureF, 212.0, kTime, QualitySimulated)});
    ASSERT_EQ(batch.size(), 2u);
    expectSample(batch[0], Quantity::TemperatureF, 212.0);
    expectSample(batch[1], Quantity::Temperature, 100.0);
}

TEST(Convert, ReplacesFahrenheitByCelsius) {
    const auto batch = convert({{"to", "temperature"}, {"mode", "replace"}},
                               {testSample(Quantity::TemperatureF, 32.0, kTime, QualitySimulated)});
    ASSERT_EQ(batch.size(), 1u);
    expectSample(batch[0], Quantity::Temperature, 0.0);
}

TEST(Convert, AddsKilometresPerHourAfterMetresPerSecond) {
    const auto batch =
        convert({{"to", "wind_speed_kmh"}}, {testSample(Quantity::WindSpeed, 10.0, kTime, QualitySimulated)});
    ASSERT_EQ(batch.size(), 2u);
    expectSample(batch[0], Quantity::WindSpeed, 10.0);
    expectSample(batch[1], Quantity::WindSpeedKmh, 36.0);
}

TEST(Convert, ReplacesKilometresPerHourByMetresPerSecond) {
    const auto batch = convert({{"to", "wind_speed"}, {"mode", "replace"}},
                               {testSample(Quantity::WindSpeedKmh, 36.0, kTime, QualitySimulated)});
    ASSERT_EQ(batch.size(), 1u);
    expectSample(batch[0], Quantity::WindSpeed, 10.0);
}

TEST(Convert, SeveralTargetsAtOnce) {
    const auto batch = convert({{"to", "temperature_f, wind_speed_kmh"}, {"mode", "replace"}},
                               {testSample(Quantity::Temperature, 100.0, kTime, QualitySimulated),
                                testSample(Quantity::WindSpeed, 10.0, kTime, QualitySimulated)});
    ASSERT_EQ(batch.size(), 2u);
    expectSample(batch[0], Quantity::TemperatureF, 212.0);
    expectSample(batch[1], Quantity::WindSpeedKmh, 36.0);
}

TEST(Convert, TargetNothingConvertsIntoIsRejected) {
    try {
        makeFilter("convert", {{"to", "temperature_f, humidity"}});
        FAIL() << "no OptionError";
    } catch (const OptionError& error) {
        EXPECT_EQ(error.key(), "to");
        EXPECT_NE(std::string(error.what()).find("humidity"), std::string::npos) << error.what();
    }
}

TEST(Convert, TargetMustBeAQuantityAndIsRequired) {
    EXPECT_THROW(makeFilter("convert", {{"to", "kelvin"}}), std::runtime_error);
    EXPECT_THROW(makeFilter("convert", {}), std::runtime_error);
}
