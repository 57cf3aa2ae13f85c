#include <PluginHarness.h>

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

using namespace citysense;
using citysense::test::makeFilter;
using citysense::test::testSample;

namespace {

constexpr Micros kStart = 1795514400 * kMicrosPerSecond;

/// Feeds one temperature sample a second, each in its own batch, and returns the values that passed.
std::vector<double> passed(Filter& filter, const std::vector<double>& values) {
    std::vector<double> result;
    Micros time = kStart;
    for (const double value : values) {
        SampleBatch batch{testSample(Quantity::Temperature, value, time)};
        filter.process(batch);
        for (const Sample& sample : batch)
            result.push_back(sample.value);
        time += kMicrosPerSecond;
    }
    return result;
}

}  // namespace

TEST(Deadband, AbsoluteThresholdPassesLargerChangesOnly) {
    auto filter = makeFilter("deadband", {{"absolute", "0.5"}});
    EXPECT_EQ(passed(*filter, {20.0, 20.3, 20.6, 20.9, 21.0, 21.2, 20.6}),
              (std::vector<double>{20.0, 20.6, 21.2, 20.6}));
}

TEST(Deadband, RelativeThresholdIsAFractionOfTheLastSentValue) {
    auto filter = makeFilter("deadband", {{"relative", "0.05"}});
    EXPECT_EQ(passed(*filter, {100.0, 104.0, 106.0, 110.0, 112.0, 100.0}),
              (std::vector<double>{100.0, 106.0, 112.0, 100.0}));
}

TEST(Deadband, WithoutThresholdsEveryChangePasses) {
    auto filter = makeFilter("deadband", {});
    EXPECT_EQ(passed(*filter, {20.0, 20.0, 20.01, 20.01, 20.0}), (std::vector<double>{20.0, 20.01, 20.0}));
}

TEST(Deadband, MaxSilenceResendsAnUnchangedValue) {
    auto filter = makeFilter("deadband", {{"absolute", "1"}, {"max_silence", "10s"}});
    // One sample a second: sent at 0 s, then again at 10 s and 20 s.
    const auto result = passed(*filter, std::vector<double>(21, 20.0));
    EXPECT_EQ(result.size(), 3u);
}

TEST(Deadband, QualityChangePasses) {
    auto filter = makeFilter("deadband", {{"absolute", "1"}});
    SampleBatch batch{testSample(Quantity::Temperature, 20.0, kStart),
                      testSample(Quantity::Temperature, 20.0, kStart + 1, QualityWarmingUp),
                      testSample(Quantity::Temperature, 20.1, kStart + 2, QualityWarmingUp),
                      testSample(Quantity::Temperature, 20.1, kStart + 3)};
    filter->process(batch);
    ASSERT_EQ(batch.size(), 3u);
    EXPECT_EQ(batch[0].time, kStart);
    EXPECT_EQ(batch[1].time, kStart + 1);
    EXPECT_EQ(batch[2].time, kStart + 3);
}

TEST(Deadband, PerQuantityOverride) {
    auto filter = makeFilter("deadband", {{"absolute", "5"}, {"temperature.absolute", "0.2"}});
    SampleBatch batch{testSample(Quantity::Humidity, 50.0, kStart),
                      testSample(Quantity::Temperature, 20.0, kStart),
                      testSample(Quantity::Humidity, 53.0, kStart + 1),
                      testSample(Quantity::Temperature, 20.3, kStart + 1)};
    filter->process(batch);
    ASSERT_EQ(batch.size(), 3u);
    EXPECT_EQ(batch[2].quantity, Quantity::Temperature);
    EXPECT_EQ(batch[2].value, 20.3);
}

TEST(Deadband, SeriesAreKeptApartBySourceAndQuantity) {
    auto filter = makeFilter("deadband", {{"absolute", "1"}});
    Sample other = testSample(Quantity::Temperature, 20.0, kStart);
    other.source = Source::intern(test::testStation(), "driver.other");
    SampleBatch batch{testSample(Quantity::Temperature, 20.0, kStart), other,
                      testSample(Quantity::Humidity, 20.0, kStart),
                      testSample(Quantity::Temperature, 20.0, kStart + 1)};
    filter->process(batch);
    EXPECT_EQ(batch.size(), 3u);
}

TEST(Deadband, TurningNanAndBackIsAChange) {
    auto filter = makeFilter("deadband", {{"absolute", "1"}});
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const auto result = passed(*filter, {20.0, nan, nan, 20.0, 20.0});
    ASSERT_EQ(result.size(), 3u);
    EXPECT_TRUE(std::isnan(result[1]));
    EXPECT_EQ(result[2], 20.0);
}
