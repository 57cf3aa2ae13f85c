#include <PluginHarness.h>

#include <citysense/DropCounts.h>

#include <gtest/gtest.h>

#include <limits>
#include <map>

using namespace citysense;
using citysense::test::makeFilter;
using citysense::test::testSample;

namespace {

constexpr Micros kSecond = kMicrosPerSecond;
constexpr Micros kStart = 1795514400 * kSecond;  // a multiple of 10 s

class Window : public ::testing::Test {
protected:
    /// Feeds 1, 2 and 6 at 1 s, 2 s and 3 s into the window [0 s, 10 s) and returns what its flush yields.
    static SampleBatch aggregate(const std::string& function) {
        auto filter = makeFilter("window", {{"period", "10s"}, {"function", function}});
        SampleBatch batch{testSample(Quantity::Temperature, 1.0, kStart + 1 * kSecond),
                          testSample(Quantity::Temperature, 2.0, kStart + 2 * kSecond),
                          testSample(Quantity::Temperature, 6.0, kStart + 3 * kSecond)};
        filter->process(batch);
        EXPECT_TRUE(batch.empty());
        filter->flush(kStart + 10 * kSecond, batch);
        return batch;
    }
};

}  // namespace

TEST_F(Window, Mean) {
    const auto batch = aggregate("mean");
    ASSERT_EQ(batch.size(), 1u);
    EXPECT_EQ(batch[0].value, 3.0);
    EXPECT_EQ(batch[0].time, kStart + 10 * kSecond);
    EXPECT_EQ(batch[0].quantity, Quantity::Temperature);
    EXPECT_EQ(batch[0].source, testSample(Quantity::Temperature, 0, 0).source);
}

TEST_F(Window, Min) {
    const auto batch = aggregate("min");
    ASSERT_EQ(batch.size(), 1u);
    EXPECT_EQ(batch[0].value, 1.0);
}

TEST_F(Window, Max) {
    const auto batch = aggregate("max");
    ASSERT_EQ(batch.size(), 1u);
    EXPECT_EQ(batch[0].value, 6.0);
}

TEST_F(Window, Count) {
    const auto batch = aggregate("count");
    ASSERT_EQ(batch.size(), 1u);
    EXPECT_EQ(batch[0].value, 3.0);
}

TEST_F(Window, LaterSampleClosesTheOpenWindow) {
    auto filter = makeFilter("window", {{"period", "10s"}});
    SampleBatch batch{testSample(Quantity::Temperature, 1.0, kStart + 1 * kSecond, QualityWarmingUp),
                      testSample(Quantity::Temperature, 3.0, kStart + 9 * kSecond, QualitySimulated),
                      testSample(Quantity::Temperature, 100.0, kStart + 25 * kSecond)};
    filter->process(batch);
    ASSERT_EQ(batch.size(), 1u);
    EXPECT_EQ(batch[0].value, 2.0);
    EXPECT_EQ(batch[0].time, kStart + 10 * kSecond);
    EXPECT_EQ(batch[0].quality, QualityWarmingUp | QualitySimulated);

    batch.clear();
    filter->flush(kStart + 30 * kSecond, batch);
    ASSERT_EQ(batch.size(), 1u);
    EXPECT_EQ(batch[0].value, 100.0);
    EXPECT_EQ(batch[0].time, kStart + 30 * kSecond);
    EXPECT_EQ(batch[0].quality, QualityOk);
}

TEST_F(Window, FlushClosesWindowsThatHaveEnded) {
    auto filter = makeFilter("window", {{"period", "10s"}});
    SampleBatch batch{testSample(Quantity::Temperature, 5.0, kStart + 1 * kSecond)};
    filter->process(batch);
    filter->flush(kStart + 10 * kSecond - 1, batch);
    EXPECT_TRUE(batch.empty());
    filter->flush(kStart + 10 * kSecond, batch);
    EXPECT_EQ(batch.size(), 1u);
    batch.clear();
    filter->flush(std::numeric_limits<Micros>::max(), batch);
    EXPECT_TRUE(batch.empty());
}

TEST_F(Window, AWindowOpenAtAStopIsFlaggedPartial) {
    auto filter = makeFilter("window", {{"period", "10s"}, {"function", "count"}});
    SampleBatch batch{testSample(Quantity::Temperature, 5.0, kStart + 1 * kSecond, QualitySimulated),
                      testSample(Quantity::Temperature, 6.0, kStart + 2 * kSecond)};
    filter->process(batch);
    // The host stops: first a flush with the current time, mid-window, then with the largest Micros.
    filter->flush(kStart + 3 * kSecond, batch);
    EXPECT_TRUE(batch.empty());
    filter->flush(std::numeric_limits<Micros>::max(), batch);
    ASSERT_EQ(batch.size(), 1u);
    EXPECT_EQ(batch[0].value, 2.0);
    EXPECT_EQ(batch[0].time, kStart + 10 * kSecond);
    EXPECT_EQ(batch[0].quality, QualitySimulated | QualityPartial);
}

TEST_F(Window, AReloadTakesOverTheOpenWindowsWhole) {
    auto before = makeFilter("window", {{"period", "10s"}, {"function", "count"}});
    SampleBatch batch{testSample(Quantity::Temperature, 5.0, kStart + 1 * kSecond),
                      testSample(Quantity::Temperature, 6.0, kStart + 2 * kSecond)};
    before->process(batch);
    auto after = makeFilter("window", {{"period", "10s"}, {"function", "count"}});
    after->takeOver(*before);
    before->flush(std::numeric_limits<Micros>::max(), batch);
    EXPECT_TRUE(batch.empty()) << "the replaced filter has nothing left to flush";

    batch = {testSample(Quantity::Temperature, 7.0, kStart + 3 * kSecond)};
    after->process(batch);
    after->flush(kStart + 10 * kSecond, batch);
    ASSERT_EQ(batch.size(), 1u);
    EXPECT_EQ(batch[0].value, 3.0);
    EXPECT_EQ(batch[0].quality, QualityOk);
}

TEST_F(Window, AReloadWithAnotherPeriodLeavesTheOpenWindowsToBeFlushedPartial) {
    auto before = makeFilter("window", {{"period", "10s"}, {"function", "count"}});
    SampleBatch batch{testSample(Quantity::Temperature, 5.0, kStart + 1 * kSecond)};
    before->process(batch);
    auto after = makeFilter("window", {{"period", "20s"}, {"function", "count"}});
    after->takeOver(*before);
    before->flush(std::numeric_limits<Micros>::max(), batch);
    ASSERT_EQ(batch.size(), 1u);
    EXPECT_EQ(batch[0].quality, QualityPartial);
    batch.clear();
    after->flush(std::numeric_limits<Micros>::max(), batch);
    EXPECT_TRUE(batch.empty());
}

TEST_F(Window, LateSamplesAreDroppedAndCounted) {
    auto filter = makeFilter("window", {{"period", "10s"}});
    SampleBatch batch{testSample(Quantity::Temperature, 1.0, kStart + 15 * kSecond),
                      testSample(Quantity::Temperature, 50.0, kStart + 5 * kSecond)};
    filter->process(batch);
    EXPECT_TRUE(batch.empty());
    filter->flush(kStart + 20 * kSecond, batch);
    ASSERT_EQ(batch.size(), 1u);
    EXPECT_EQ(batch[0].value, 1.0);

    // Also late: a sample for the window that flush has just sent.
    batch = {testSample(Quantity::Temperature, 50.0, kStart + 19 * kSecond)};
    filter->process(batch);
    filter->flush(std::numeric_limits<Micros>::max(), batch);
    EXPECT_TRUE(batch.empty());
    EXPECT_EQ(filter->dropCounts().byReason(), (std::map<std::string, std::uint64_t>{{"late_sample", 2}}));
}

TEST_F(Window, NonFiniteValuesAreNotAggregated) {
    auto filter = makeFilter("window", {{"period", "10s"}, {"function", "count"}});
    SampleBatch batch{testSample(Quantity::Temperature, 1.0, kStart),
                      testSample(Quantity::Temperature, std::numeric_limits<double>::quiet_NaN(), kStart + 1),
                      testSample(Quantity::Temperature, std::numeric_limits<double>::infinity(), kStart + 2)};
    filter->process(batch);
    filter->flush(kStart + 10 * kSecond, batch);
    ASSERT_EQ(batch.size(), 1u);
    EXPECT_EQ(batch[0].value, 1.0);
    EXPECT_EQ(filter->dropCounts().byReason(),
              (std::map<std::string, std::uint64_t>{{"non_finite_value", 2}}));
}

TEST_F(Window, SeriesAreSeparate) {
    auto filter = makeFilter("window", {{"period", "10s"}});
    Sample other = testSample(Quantity::Temperature, 30.0, kStart + 2 * kSecond);
    other.source = Source::intern(test::testStation(), "driver.other");
    SampleBatch batch{testSample(Quantity::Temperature, 10.0, kStart + 1 * kSecond), other,
                      testSample(Quantity::Humidity, 60.0, kStart + 3 * kSecond),
                      testSample(Quantity::Temperature, 20.0, kStart + 4 * kSecond)};
    filter->process(batch);
    filter->flush(kStart + 10 * kSecond, batch);
    ASSERT_EQ(batch.size(), 3u);
    std::map<std::pair<const Source*, Quantity>, double> values;
    for (const Sample& sample : batch)
        values[{sample.source, sample.quantity}] = sample.value;
    EXPECT_EQ((values[{testSample(Quantity::Temperature, 0, 0).source, Quantity::Temperature}]), 15.0);
    EXPECT_EQ((values[{other.source, Quantity::Temperature}]), 30.0);
    EXPECT_EQ((values[{testSample(Quantity::Temperature, 0, 0).source, Quantity::Humidity}]), 60.0);
}
