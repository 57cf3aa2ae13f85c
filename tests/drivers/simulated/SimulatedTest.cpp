// The simulated driver through the real plugin library: options, patterns, seeds and physical limits.

#include <PluginHarness.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace citysense {
namespace {

using test::makeDriver;
using Settings = std::map<std::string, std::string>;

constexpr double kPi = 3.14159265358979323846;

/// The samples of `reads` reads of `driver`.
SampleBatch readMany(Driver& driver, int reads) {
    SampleBatch batch;
    for (int i = 0; i < reads; ++i)
        driver.read(batch);
    return batch;
}

/// The values of one quantity in `batch`, in order.
std::vector<double> valuesOf(const SampleBatch& batch, Quantity quantity) {
    std::vector<double> values;
    for (const auto& sample : batch) {
        if (sample.quantity == quantity)
            values.push_back(sample.value);
    }
    return values;
}

double meanOf(const std::vector<double>& values) {
    double sum = 0.0;
    for (double value : values)
        sum += value;
    return sum / static_cast<double>(values.size());
}

double stddevOf(const std::vector<double>& values) {
    const double mean = meanOf(values);
    double squares = 0.0;
    for (double value : values)
        squares += (value - mean) * (value - mean);
    return std::sqrt(squares / static_cast<double>(values.size() - 1));
}

TEST(SimulatedDriver, DefaultOptionsGiveOneSimulatedTemperatureSample) {
    auto driver = makeDriver("simulated", {});
    SampleBatch batch;
    driver->read(batch);
    ASSERT_EQ(batch.size(), 1u);
    EXPECT_EQ(batch[0].quantity, Quantity::Temperature);
    EXPECT_EQ(batch[0].quality, QualitySimulated);
    EXPECT_EQ(batch[0].source, driver->source());
    EXPECT_GE(batch[0].value, info(Quantity::Temperature).physicalMin);
    EXPECT_LE(batch[0].value, info(Quantity::Temperature).physicalMax);
}

TEST(SimulatedDriver, PerQuantityOverrideBeatsInstanceDefault) {
    auto driver = makeDriver("simulated", {{"quantities", "temperature, humidity"},
                                           {"stddev", "0"},
                                           {"mean", "40"},
                                           {"temperature.mean", "21.5"}});
    SampleBatch batch;
    driver->read(batch);
    EXPECT_THAT(valuesOf(batch, Quantity::Temperature), testing::ElementsAre(21.5));
    EXPECT_THAT(valuesOf(batch, Quantity::Humidity), testing::ElementsAre(40.0));
}

TEST(SimulatedDriver, SequenceCountsFromStartForEachQuantityIndependently) {
    auto driver = makeDriver(
        "simulated",
        {{"quantities", "no2, traffic_speed"}, {"pattern", "sequence"}, {"traffic_speed.start", "-3"}});
    const int reads = 5000;
    const SampleBatch batch = readMany(*driver, reads);
    const std::vector<double> no2 = valuesOf(batch, Quantity::NO2);
    const std::vector<double> traffic = valuesOf(batch, Quantity::TrafficSpeed);
    ASSERT_EQ(no2.size(), static_cast<std::size_t>(reads));
    ASSERT_EQ(traffic.size(), static_cast<std::size_t>(reads));
    for (int i = 0; i < reads; ++i) {
        ASSERT_EQ(no2[i], 1.0 + i) << "read " << i;
        ASSERT_EQ(traffic[i], -3.0 + i) << "read " << i;  // a sequence is not kept physical
    }
}

TEST(SimulatedDriver, SameSeedGivesIdenticalValues) {
    const Settings settings = {{"quantities", "temperature, wind_direction, traffic_speed"},
                               {"wind_direction.pattern", "random_walk"},
                               {"seed", "42"}};
    auto first = makeDriver("simulated", settings);
    auto second = makeDriver("simulated", settings);
    const SampleBatch a = readMany(*first, 100);
    const SampleBatch b = readMany(*second, 100);
    ASSERT_EQ(a.size(), b.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
        EXPECT_EQ(a[i].quantity, b[i].quantity);
        EXPECT_EQ(a[i].value, b[i].value) << "sample " << i;
    }
}

TEST(SimulatedDriver, DifferentSeedGivesDifferentValues) {
    auto first = makeDriver("simulated", {{"seed", "42"}});
    auto second = makeDriver("simulated", {{"seed", "43"}});
    EXPECT_NE(valuesOf(readMany(*first, 100), Quantity::Temperature),
              valuesOf(readMany(*second, 100), Quantity::Temperature));
}

TEST(SimulatedDriver, QuantitiesOfOneInstanceAreIndependent) {
    auto driver = makeDriver("simulated",
                             {{"quantities", "no2, so2"}, {"mean", "100"}, {"stddev", "5"}, {"seed", "7"}});
    const SampleBatch batch = readMany(*driver, 100);
    EXPECT_NE(valuesOf(batch, Quantity::NO2), valuesOf(batch, Quantity::SO2));
}

TEST(SimulatedDriver, NormalHasTheConfiguredMeanAndStddev) {
    auto driver = makeDriver(
        "simulated", {{"quantities", "temperature"}, {"mean", "12.5"}, {"stddev", "2"}, {"seed", "1"}});
    const std::vector<double> values = valuesOf(readMany(*driver, 20000), Quantity::Temperature);
    // Standard errors over 20000 values: 0.014 for the mean, 0.01 for the stddev.
    EXPECT_NEAR(meanOf(values), 12.5, 0.1);
    EXPECT_NEAR(stddevOf(values), 2.0, 0.1);
}

TEST(SimulatedDriver, RandomWalkStepsHaveTheConfiguredStddev) {
    auto driver = makeDriver("simulated", {{"quantities", "pressure"},
                                           {"pattern", "random_walk"},
                                           {"mean", "100000"},
                                           {"step", "10"},
                                           {"seed", "3"}});
    const std::vector<double> values = valuesOf(readMany(*driver, 10000), Quantity::Pressure);
    std::vector<double> steps;
    double previous = 100000.0;
    for (double value : values) {
        steps.push_back(value - previous);
        previous = value;
    }
    EXPECT_NEAR(meanOf(steps), 0.0, 1.0);
    EXPECT_NEAR(stddevOf(steps), 10.0, 0.5);
}

TEST(SimulatedDriver, WindDirectionStaysWithinACircle) {
    for (const char* pattern : {"normal", "random_walk", "diurnal"}) {
        auto driver = makeDriver("simulated", {{"quantities", "wind_direction"},
                                               {"pattern", pattern},
                                               {"mean", "0"},
                                               {"stddev", "400"},
                                               {"step", "100"},
                                               {"seed", "5"}});
        for (double value : valuesOf(readMany(*driver, 5000), Quantity::WindDirection)) {
            ASSERT_GE(value, 0.0) << pattern;
            ASSERT_LT(value, 360.0) << pattern;
        }
    }
}

TEST(SimulatedDriver, TrafficSpeedIsNeverNegative) {
    // The default traffic speed is 0 ± 25 km/h: half its raw values would be negative.
    auto driver = makeDriver("simulated", {{"quantities", "traffic_speed"}, {"seed", "9"}});
    const std::vector<double> values = valuesOf(readMany(*driver, 5000), Quantity::TrafficSpeed);
    for (double value : values)
        ASSERT_GE(value, 0.0);
    EXPECT_NEAR(meanOf(values), 25.0 * std::sqrt(2.0 / kPi), 1.5);  // the mean of |N(0, 25)|
}

TEST(SimulatedDriver, EveryQuantityCanBeSimulatedWithinItsPhysicalRange) {
    std::string names;
    for (const auto& row : quantities())
        names += std::string(names.empty() ? "" : ",") + row.name;
    auto driver = makeDriver("simulated", {{"quantities", names}, {"stddev", "1e6"}, {"seed", "11"}});
    for (int read = 0; read < 100; ++read) {
        SampleBatch batch;
        driver->read(batch);
        ASSERT_EQ(batch.size(), quantities().size());
        for (std::size_t i = 0; i < batch.size(); ++i) {
            const QuantityInfo& row = quantities()[i];
            EXPECT_EQ(batch[i].quantity, row.quantity);
            EXPECT_EQ(batch[i].time, batch[0].time) << "one read, one timestamp";
            EXPECT_GE(batch[i].value, row.physicalMin) << row.name;
            EXPECT_LE(batch[i].value, row.physicalMax) << row.name;
        }
    }
}

TEST(SimulatedDriver, DiurnalWithoutNoiseFollowsTheDailyCycle) {
    const double mean = 20.0;
    const double amplitude = 6.0;
    const double peakHour = 14.5;
    auto driver = makeDriver("simulated", {{"quantities", "temperature"},
                                           {"pattern", "diurnal"},
                                           {"mean", "20"},
                                           {"stddev", "0"},
                                           {"amplitude", "6"},
                                           {"peak_hour", "14.5"}});
    SampleBatch batch;
    driver->read(batch);
    ASSERT_EQ(batch.size(), 1u);
    const Micros microsPerDay = 86400 * kMicrosPerSecond;
    const double hour = static_cast<double>(batch[0].time % microsPerDay) / (3600.0 * kMicrosPerSecond);
    EXPECT_NEAR(batch[0].value, mean + amplitude * std::cos(2.0 * kPi * (hour - peakHour) / 24.0), 1e-9);
}

TEST(SimulatedDriver, OverrideForAQuantityNotSimulatedNamesTheKey) {
    try {
        makeDriver("simulated", {{"quantities", "temperature"}, {"humidity.mean", "50"}});
        FAIL() << "expected an OptionError";
    } catch (const OptionError& error) {
        EXPECT_EQ(error.key(), "humidity.mean");
        EXPECT_THAT(error.what(), testing::HasSubstr("'humidity' is not in quantities"));
    }
}

TEST(SimulatedDriver, EmptyQuantitiesIsAnOptionError) {
    try {
        makeDriver("simulated", {{"quantities", ""}});
        FAIL() << "expected an OptionError";
    } catch (const OptionError& error) {
        EXPECT_EQ(error.key(), "quantities");
    }
}

TEST(SimulatedDriver, QuantityListedTwiceIsAnOptionError) {
    try {
        makeDriver("simulated", {{"quantities", "no2, so2, no2"}});
        FAIL() << "expected an OptionError";
    } catch (const OptionError& error) {
        EXPECT_EQ(error.key(), "quantities");
    }
}

TEST(SimulatedDriver, UnknownPatternIsRejectedByOptionValidation) {
    for (const char* key : {"pattern", "temperature.pattern"}) {
        try {
            makeDriver("simulated", {{key, "sawtooth"}});
            FAIL() << key << ": expected a validation error";
        } catch (const OptionError& error) {
            FAIL() << key << ": rejected by configure(), not by the option table: " << error.what();
        } catch (const std::runtime_error& error) {
            EXPECT_THAT(error.what(), testing::HasSubstr(std::string("[") + key + ": "));
            EXPECT_THAT(error.what(), testing::HasSubstr("'sawtooth' is not one of"));
        }
    }
}

TEST(SimulatedDriver, ChannelsListTheConfiguredQuantities) {
    auto driver = makeDriver("simulated", {{"quantities", "no2, wind_direction, temperature"}});
    const std::vector<Channel> channels = driver->channels();
    const std::vector<Quantity> expected = {Quantity::NO2, Quantity::WindDirection, Quantity::Temperature};
    ASSERT_EQ(channels.size(), expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
        EXPECT_EQ(channels[i].quantity, expected[i]);
        EXPECT_EQ(channels[i].min, info(expected[i]).physicalMin);
        EXPECT_EQ(channels[i].max, info(expected[i]).physicalMax);
    }
}

}  // namespace
}  // namespace citysense
