// The alphasense driver through the real plugin library, against an emulated ADS1115 on a fake bus:
// AAN 803's worked example end to end, the four algorithms of both cells, the temperature factors
// between and beyond the table's points, the station's temperature and when it is not used, the ADC
// words it writes, faults.
// Expected values are worked out here by hand from AAN 803's formulas and factor tables (HARDWARE.md),
// not by the driver's code.

#include <PluginHarness.h>

#include <citysense/bus/BusError.h>
#include <citysense/testing/FakeI2cBus.h>
#include <citysense/testing/chips/Ads1115Emulator.h>

#include <Poco/AutoPtr.h>
#include <Poco/Channel.h>
#include <Poco/Logger.h>
#include <Poco/Message.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "RecordingLog.h"

#include <chrono>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace citysense {
namespace {

using test::RecordingLog;

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using Settings = std::map<std::string, std::string>;

constexpr char kBus[] = "fake-ads";
constexpr double kTolerance = 1e-9;  // ppb: the inputs below are exact ADC codes

/// AAN 803's worked example: a NO2-B43F on an ISB with WEe = 227 mV, AEe = 228 mV, 0.270 mV/ppb, at
/// 20 °C; WE0 = 10 mV and AE0 = 8 mV for the algorithms that need them. `changes` overrides.
Settings workedExample(const Settings& changes = {}) {
    Settings settings = {
        {"cell", "no2_b43f"},          {"bus", kBus},
        {"we_zero_electronic", "227"}, {"ae_zero_electronic", "228"},
        {"we_zero_sensor", "10"},      {"ae_zero_sensor", "8"},
        {"sensitivity", "0.270"},      {"temperature", "20"},
    };
    for (const auto& [key, value] : changes)
        settings[key] = value;
    return settings;
}

/// The key of the OptionError configuring with `settings` throws; the message of any other error.
std::string rejection(const Settings& settings) {
    try {
        test::makeDriver("alphasense", settings);
    } catch (const OptionError& error) {
        return error.key();
    } catch (const std::exception& error) {
        return error.what();
    }
    return "(accepted)";
}

class Alphasense : public ::testing::Test {
protected:
    void SetUp() override {
        registerI2cBus(kBus, bus);
        bus->attach(0x48, adc);
    }
    void TearDown() override { registerI2cBus(kBus, nullptr); }

    /// The ISB's outputs in mV, on AIN0 (WE) and AIN1 (AE).
    void electrodes(double weMillivolts, double aeMillivolts) {
        adc->setInput(0, weMillivolts / 1000.0);
        adc->setInput(1, aeMillivolts / 1000.0);
    }

    static Sample readOnce(Driver& driver) {
        SampleBatch batch;
        driver.read(batch);
        EXPECT_EQ(batch.size(), 1u);
        return batch.at(0);
    }

    /// One sample of a driver configured with `settings`, opened and closed around the read.
    static Sample readOnce(const Settings& settings) {
        auto driver = test::makeDriver("alphasense", settings);
        driver->open();
        const Sample sample = readOnce(*driver);
        driver->close();
        return sample;
    }

    std::shared_ptr<testing::FakeI2cBus> bus = std::make_shared<testing::FakeI2cBus>(kBus);
    std::shared_ptr<testing::Ads1115Emulator> adc = std::make_shared<testing::Ads1115Emulator>(0x48);
};

TEST_F(Alphasense, WorkedExampleOfAan803EndToEnd) {
    // WEu = 300 mV and AEu = 290 mV: codes 2400 and 2320 at ±4.096 V (0.125 mV a code), exact.
    electrodes(300, 290);
    auto driver = test::makeDriver("alphasense", workedExample());
    driver->open();
    const Sample sample = readOnce(*driver);
    // WEc = (300 - 227) - 0.6 (290 - 228) = 73 - 37.2 = 35.8 mV; 35.8 / 0.270 = 132.6 ppb.
    EXPECT_EQ(sample.quantity, Quantity::NO2);
    EXPECT_NEAR(sample.value, 35.8 / 0.270, kTolerance);
    EXPECT_NEAR(sample.value, 132.6, 0.05);
    EXPECT_EQ(sample.quality, QualityOk);
    EXPECT_EQ(sample.source, driver->source());
    EXPECT_EQ(adc->conversions(), 2);
}

struct AlgorithmCase {
    const char* cell;
    int algorithm;
    const char* celsius;
    double weMillivolts;
    double aeMillivolts;
    double sensitivity;
    double expectedPpb;
};

void PrintTo(const AlgorithmCase& c, std::ostream* out) {
    *out << c.cell << " algorithm " << c.algorithm << " at " << c.celsius << " Cel";
}

class AlphasenseAlgorithm : public Alphasense, public ::testing::WithParamInterface<AlgorithmCase> {};

TEST_P(AlphasenseAlgorithm, MatchesTheHandComputedConcentration) {
    const AlgorithmCase& c = GetParam();
    electrodes(c.weMillivolts, c.aeMillivolts);
    const Sample sample = readOnce(workedExample({{"cell", c.cell},
                                                  {"algorithm", std::to_string(c.algorithm)},
                                                  {"temperature", c.celsius},
                                                  {"sensitivity", std::to_string(c.sensitivity)}}));
    EXPECT_EQ(sample.quantity, std::string(c.cell) == "so2_b4" ? Quantity::SO2 : Quantity::NO2);
    EXPECT_NEAR(sample.value, c.expectedPpb, kTolerance);
    EXPECT_EQ(sample.quality, QualityOk);
}

// WEe 227, AEe 228, WE0 10, AE0 8 (so WE0/AE0 = 1.25, WE0 - AE0 = 2).
// NO2-B43F at 30 °C, WEu 300, AEu 290 (73 and 62 above the electronic zeros): n_T 0.4, k_T 0.7,
//   k'_T 0.4, k''_T 0.5. SO2-B4 at 40 °C, WEu 400, AEu 250 (173 and 22): n_T 3.0, k_T 1.9, k'_T 3.5,
//   k''_T 140.
INSTANTIATE_TEST_SUITE_P(
    EveryAlgorithmOfBothCells, AlphasenseAlgorithm,
    ::testing::Values(AlgorithmCase{"no2_b43f", 1, "30", 300, 290, 0.270, (73 - 0.4 * 62) / 0.270},
                      AlgorithmCase{"no2_b43f", 2, "30", 300, 290, 0.270, (73 - 0.7 * 1.25 * 62) / 0.270},
                      AlgorithmCase{"no2_b43f", 3, "30", 300, 290, 0.270, (73 - 2 - 0.4 * 62) / 0.270},
                      AlgorithmCase{"no2_b43f", 4, "30", 300, 290, 0.270, (73 - 10 - 0.5) / 0.270},
                      AlgorithmCase{"so2_b4", 1, "40", 400, 250, 0.350, (173 - 3.0 * 22) / 0.350},
                      AlgorithmCase{"so2_b4", 2, "40", 400, 250, 0.350, (173 - 1.9 * 1.25 * 22) / 0.350},
                      AlgorithmCase{"so2_b4", 3, "40", 400, 250, 0.350, (173 - 2 - 3.5 * 22) / 0.350},
                      AlgorithmCase{"so2_b4", 4, "40", 400, 250, 0.350, (173 - 10 - 140) / 0.350}));

TEST_F(Alphasense, FactorsAreInterpolatedLinearlyBetweenTablePoints) {
    electrodes(300, 290);  // 73 and 62 mV above the electronic zeros
    const auto algorithm1At = [&](const char* celsius) {
        return readOnce(workedExample({{"temperature", celsius}})).value;
    };
    // NO2-B43F n_T: 0 °C 1.3, 10 °C 1.0, 20 °C 0.6, 30 °C 0.4, 40 °C 0.2, 50 °C -1.5.
    EXPECT_NEAR(algorithm1At("25"), (73 - 0.5 * 62) / 0.270, kTolerance);
    EXPECT_NEAR(algorithm1At("5"), (73 - 1.15 * 62) / 0.270, kTolerance);
    EXPECT_NEAR(algorithm1At("42.5"), (73 - (0.2 - 0.25 * 1.7) * 62) / 0.270, kTolerance);
    EXPECT_NEAR(algorithm1At("40"), (73 - 0.2 * 62) / 0.270, kTolerance);
    EXPECT_NEAR(algorithm1At("-30"), (73 - 1.3 * 62) / 0.270, kTolerance);
    EXPECT_NEAR(algorithm1At("50"), (73 + 1.5 * 62) / 0.270, kTolerance);
    // Algorithm 4's k''_T climbs steeply: 40 °C 5, 50 °C 67.
    EXPECT_NEAR(readOnce(workedExample({{"algorithm", "4"}, {"temperature", "45"}})).value,
                (73 - 10 - 36) / 0.270, kTolerance);
}

TEST_F(Alphasense, NegativeConcentrationsNearZeroAreNotClamped) {
    electrodes(232, 248);  // 5 and 20 mV above the electronic zeros: 5 - 0.6 * 20 = -7 mV
    const Sample sample = readOnce(workedExample());
    EXPECT_NEAR(sample.value, -7 / 0.270, kTolerance);
    EXPECT_EQ(sample.quality, QualityOk);
}

/// The station temperature tests record temperatures for the harness station, newest last.
void deliverTemperature(double celsius) {
    test::testLatestReadings().record({test::testSample(Quantity::Temperature, celsius, nowMicros())});
}

TEST_F(Alphasense, StationSourceUsesTheLatestTemperatureDelivered) {
    electrodes(300, 290);
    auto driver = test::makeDriver("alphasense", workedExample({{"temperature_source", "station"}}));
    driver->open();
    deliverTemperature(30);
    Sample sample = readOnce(*driver);
    EXPECT_NEAR(sample.value, (73 - 0.4 * 62) / 0.270, kTolerance);
    EXPECT_EQ(sample.quality, QualityOk);
    deliverTemperature(35);
    EXPECT_NEAR(readOnce(*driver).value, (73 - 0.3 * 62) / 0.270, kTolerance);
}

TEST_F(Alphasense, FactorsAreHeldBeyondTheTable) {
    electrodes(300, 290);
    auto driver = test::makeDriver("alphasense", workedExample({{"temperature_source", "station"}}));
    driver->open();
    deliverTemperature(-40);  // below -30 °C: n_T of -30 °C, 1.3
    EXPECT_NEAR(readOnce(*driver).value, (73 - 1.3 * 62) / 0.270, kTolerance);
    deliverTemperature(60);  // above 50 °C: n_T of 50 °C, -1.5
    EXPECT_NEAR(readOnce(*driver).value, (73 + 1.5 * 62) / 0.270, kTolerance);
}

/// Moves `driver` to a station of its own, which no test delivers a temperature for.
void attachToQuietStation(Driver& driver, const std::string& street) {
    const Station quiet{"hypo_city", "city_01", street};
    driver.attach({"driver.test", quiet, Source::intern(quiet, "driver.test"), &test::testLatestReadings()});
}

TEST_F(Alphasense, WithoutAStationTemperatureSamplesAreFlaggedWarmingUp) {
    electrodes(300, 290);
    Settings settings = workedExample({{"temperature_source", "station"}});
    settings.erase("temperature");
    auto driver = test::makeDriver("alphasense", settings);
    attachToQuietStation(*driver, "no_thermometer");
    driver->open();
    deliverTemperature(30);  // another station's: not this one's
    Sample sample = readOnce(*driver);
    EXPECT_EQ(sample.quality, QualityWarmingUp);
    EXPECT_NEAR(sample.value, 35.8 / 0.270, kTolerance);  // corrected for 20 °C meanwhile
}

TEST_F(Alphasense, WithoutAStationTemperatureTheConfiguredOneIsAssumed) {
    electrodes(300, 290);
    auto driver = test::makeDriver("alphasense",
                                   workedExample({{"temperature_source", "station"}, {"temperature", "40"}}));
    attachToQuietStation(*driver, "no_thermometer_either");
    driver->open();
    const Sample sample = readOnce(*driver);
    EXPECT_EQ(sample.quality, QualityWarmingUp);
    EXPECT_NEAR(sample.value, (73 - 0.2 * 62) / 0.270, kTolerance);
}

/// Records a temperature for the station at `street`, taken `age` ago and flagged `quality`.
void deliverTemperatureTo(const std::string& street, double celsius, Micros age = 0,
                          std::uint16_t quality = QualityOk) {
    const Station quiet{"hypo_city", "city_01", street};
    Sample sample;
    sample.quantity = Quantity::Temperature;
    sample.value = celsius;
    sample.time = nowMicros() - age;
    sample.quality = quality;
    sample.source = Source::intern(quiet, "driver.thermometer");
    test::testLatestReadings().record({sample});
}

constexpr Micros kMinute = 60 * kMicrosPerSecond;
constexpr double kAt20 = (73 - 0.6 * 62) / 0.270;  // WEu 300, AEu 290 corrected for 20 °C
constexpr double kAt30 = (73 - 0.4 * 62) / 0.270;

/// A driver with `temperature_source = station` (and `changes`) on the station at `street`, opened.
std::unique_ptr<Driver> stationDriver(const std::string& street, const Settings& changes = {}) {
    Settings settings = workedExample({{"temperature_source", "station"}});
    for (const auto& [key, value] : changes)
        settings[key] = value;
    auto driver = test::makeDriver("alphasense", settings);
    attachToQuietStation(*driver, street);
    driver->open();
    return driver;
}

TEST_F(Alphasense, AStationTemperatureWithinTheMaxAgeIsUsed) {
    electrodes(300, 290);
    auto driver = stationDriver("thermometer_9m_behind");
    deliverTemperatureTo("thermometer_9m_behind", 30, 9 * kMinute);  // the default max age is 10m
    const Sample sample = readOnce(*driver);
    EXPECT_EQ(sample.quality, QualityOk);
    EXPECT_NEAR(sample.value, kAt30, kTolerance);
}

TEST_F(Alphasense, AStationTemperatureBeyondTheDefaultMaxAgeIsNotUsed) {
    electrodes(300, 290);
    auto driver = stationDriver("thermometer_11m_behind");
    deliverTemperatureTo("thermometer_11m_behind", 30, 11 * kMinute);
    const Sample sample = readOnce(*driver);
    EXPECT_EQ(sample.quality, QualityWarmingUp);
    EXPECT_NEAR(sample.value, kAt20, kTolerance);
}

/// A station temperature the driver must not correct for.
struct UnusableTemperature {
    const char* name;
    double celsius;
    std::uint16_t quality;
    Micros age;  ///< how long before the read it was taken; the tests set temperature_max_age to 1s
};

void PrintTo(const UnusableTemperature& c, std::ostream* out) {
    *out << c.name;
}

class AlphasenseUnusableTemperature : public Alphasense,
                                      public ::testing::WithParamInterface<UnusableTemperature> {};

TEST_P(AlphasenseUnusableTemperature, IsIgnoredFlaggedWarmingUpBeforeAUsableOneAndSensorFaultAfter) {
    const UnusableTemperature& c = GetParam();
    const std::string street = std::string("thermometer_") + c.name;
    electrodes(300, 290);
    auto driver = stationDriver(street, {{"temperature_max_age", "1s"}});

    deliverTemperatureTo(street, c.celsius, c.age, c.quality);
    Sample sample = readOnce(*driver);
    EXPECT_EQ(sample.quality, QualityWarmingUp) << "before any usable temperature";
    EXPECT_NEAR(sample.value, kAt20, kTolerance);

    deliverTemperatureTo(street, 30);
    sample = readOnce(*driver);
    EXPECT_EQ(sample.quality, QualityOk);
    EXPECT_NEAR(sample.value, kAt30, kTolerance);

    if (c.age > 0)
        std::this_thread::sleep_for(std::chrono::milliseconds(1200));  // the 30 °C goes stale
    else
        deliverTemperatureTo(street, c.celsius, 0, c.quality);
    sample = readOnce(*driver);
    EXPECT_EQ(sample.quality, QualitySensorFault) << "after a usable temperature";
    EXPECT_NEAR(sample.value, kAt20, kTolerance);

    deliverTemperatureTo(street, 30);
    sample = readOnce(*driver);
    EXPECT_EQ(sample.quality, QualityOk) << "a usable temperature again";
    EXPECT_NEAR(sample.value, kAt30, kTolerance);
}

// 40 °C would correct with n_T 0.2 instead of 20 °C's 0.6: a value at 20 °C shows it was not used.
INSTANTIATE_TEST_SUITE_P(
    FlaggedNotANumberOrStale, AlphasenseUnusableTemperature,
    ::testing::Values(UnusableTemperature{"simulated", 40, QualitySimulated, 0},
                      UnusableTemperature{"sensor_fault", 40, QualitySensorFault, 0},
                      UnusableTemperature{"out_of_range", 40, QualityOutOfRange, 0},
                      UnusableTemperature{"warming_up", 40, QualityWarmingUp, 0},
                      UnusableTemperature{"nan", std::numeric_limits<double>::quiet_NaN(), QualityOk, 0},
                      UnusableTemperature{"infinite", std::numeric_limits<double>::infinity(), QualityOk, 0},
                      UnusableTemperature{"stale", 40, QualityOk, 2 * kMicrosPerSecond}),
    [](const ::testing::TestParamInfo<UnusableTemperature>& info) { return std::string(info.param.name); });

TEST_F(Alphasense, EachChangeOfTheStationTemperatureIsLoggedOnce) {
    electrodes(300, 290);
    const RecordingLog log;
    auto driver = stationDriver("thermometer_logged");
    const auto readTwice = [&] {
        readOnce(*driver);
        readOnce(*driver);
    };
    readTwice();
    EXPECT_EQ(log.count(Poco::Message::PRIO_WARNING,
                        "no usable temperature from hypo_city/city_01/thermometer_logged yet (none "
                        "delivered): corrected for 20 Cel and flagged warming_up"),
              1);
    deliverTemperatureTo("thermometer_logged", 30);
    readTwice();
    EXPECT_EQ(log.count(Poco::Message::PRIO_INFORMATION,
                        "in use (30 Cel): samples are no longer flagged warming_up"),
              1);
    deliverTemperatureTo("thermometer_logged", 31, 0, QualitySimulated);
    readTwice();
    EXPECT_EQ(log.count(Poco::Message::PRIO_WARNING,
                        "no longer usable (the latest is flagged simulated): corrected for 20 Cel and "
                        "flagged sensor_fault"),
              1);
    deliverTemperatureTo("thermometer_logged", 32, 0, QualitySensorFault);
    readTwice();  // still lost: no new warning
    EXPECT_EQ(log.count(Poco::Message::PRIO_WARNING, "no longer usable"), 1);
    deliverTemperatureTo("thermometer_logged", 33);
    readTwice();
    EXPECT_EQ(log.count(Poco::Message::PRIO_INFORMATION,
                        "in use (33 Cel): samples are no longer flagged sensor_fault"),
              1);
    EXPECT_EQ(log.count(Poco::Message::PRIO_WARNING, ""), 2);
    EXPECT_EQ(log.count(Poco::Message::PRIO_INFORMATION, " in use ("), 2);
}

TEST_F(Alphasense, WritesSingleShotConfigWordsForItsChannelsAndRange) {
    electrodes(300, 290);
    readOnce(workedExample());
    // OS=1, MUX 100/101 (AIN0/AIN1 vs GND), PGA 001 (±4.096 V), single-shot, 128 SPS, comparator off.
    EXPECT_THAT(adc->configWrites(), ElementsAre(0xC383, 0xD383));
}

TEST_F(Alphasense, OtherChannelsAndRangeChangeMuxAndPga) {
    adc->setInput(2, 0.300);
    adc->setInput(3, 0.290);
    const Sample sample =
        readOnce(workedExample({{"we_channel", "2"}, {"ae_channel", "3"}, {"full_scale", "2.048"}}));
    // MUX 110/111 (AIN2/AIN3), PGA 010 (±2.048 V); at 0.0625 mV a code the inputs are still exact.
    EXPECT_THAT(adc->configWrites(), ElementsAre(0xE583, 0xF583));
    EXPECT_NEAR(sample.value, 35.8 / 0.270, kTolerance);
}

TEST_F(Alphasense, AnotherAddressIsTheChipItTalksTo) {
    auto other = std::make_shared<testing::Ads1115Emulator>(0x4B);
    bus->attach(0x4B, other);
    other->setInput(0, 0.300);
    other->setInput(1, 0.290);
    const Sample sample = readOnce(workedExample({{"address", "0x4b"}, {"full_scale", "6.144"}}));
    EXPECT_THAT(other->configWrites(), ElementsAre(0xC183, 0xD183));  // PGA 000: ±6.144 V
    EXPECT_EQ(adc->conversions(), 0);
    // 0.1875 mV a code: 300 mV is code 1600 exactly, 290 mV rounds to code 1547 (290.0625 mV).
    const double ae = 1547 * 6.144 / 32768 * 1000;
    EXPECT_NEAR(sample.value, (73 - 0.6 * (ae - 228)) / 0.270, kTolerance);
}

TEST_F(Alphasense, AnElectrodeBeyondTheAdcRangeIsFlaggedOutOfRange) {
    electrodes(1100, 290);  // above ±1.024 V: the conversion clips at the top code
    const Sample sample = readOnce(workedExample({{"full_scale", "1.024"}}));
    EXPECT_EQ(sample.quality, QualityOutOfRange);
}

TEST_F(Alphasense, BusFaultsAreThrown) {
    electrodes(300, 290);
    auto driver = test::makeDriver("alphasense", workedExample());
    driver->open();
    bus->failing(true);
    SampleBatch batch;
    EXPECT_THROW(driver->read(batch), BusError);
    bus->failing(false);
    adc->setBusyReads(100);  // a conversion that never finishes
    EXPECT_THROW(driver->read(batch), BusError);
    EXPECT_TRUE(batch.empty());
}

TEST_F(Alphasense, AMissingChipFailsAtTheFirstRead) {
    auto driver = test::makeDriver("alphasense", workedExample({{"address", "0x49"}}));
    driver->open();
    SampleBatch batch;
    try {
        driver->read(batch);
        FAIL() << "expected a BusError";
    } catch (const BusError& error) {
        EXPECT_THAT(error.what(), HasSubstr("fake-ads address 0x49"));
    }
}

TEST_F(Alphasense, ChannelIsTheCellsQuantityAndRange) {
    auto no2 = test::makeDriver("alphasense", workedExample());
    ASSERT_EQ(no2->channels().size(), 1u);
    EXPECT_EQ(no2->channels()[0].quantity, Quantity::NO2);
    EXPECT_EQ(no2->channels()[0].min, -50.0);
    EXPECT_EQ(no2->channels()[0].max, 20000.0);
    auto so2 = test::makeDriver("alphasense", workedExample({{"cell", "so2_b4"}}));
    EXPECT_EQ(so2->channels()[0].quantity, Quantity::SO2);
    EXPECT_EQ(so2->channels()[0].max, 100000.0);
}

TEST(AlphasenseOptions, InconsistentSettingsAreRejectedNamingTheKey) {
    EXPECT_EQ(rejection(workedExample()), "(accepted)");
    EXPECT_EQ(rejection(workedExample({{"ae_channel", "0"}})), "ae_channel");
    EXPECT_EQ(rejection(workedExample({{"sensitivity", "0"}})), "sensitivity");
    EXPECT_EQ(rejection(workedExample({{"algorithm", "2"}, {"ae_zero_sensor", "0"}})), "ae_zero_sensor");
    Settings fixedWithoutTemperature = workedExample();
    fixedWithoutTemperature.erase("temperature");
    EXPECT_EQ(rejection(fixedWithoutTemperature), "temperature");
    for (const int algorithm : {2, 3, 4}) {
        Settings settings = workedExample({{"algorithm", std::to_string(algorithm)}});
        settings.erase("we_zero_sensor");
        EXPECT_EQ(rejection(settings), "we_zero_sensor") << "algorithm " << algorithm;
    }
    Settings algorithm1 = workedExample();
    algorithm1.erase("we_zero_sensor");
    algorithm1.erase("ae_zero_sensor");
    EXPECT_EQ(rejection(algorithm1), "(accepted)");
    Settings algorithm4 = workedExample({{"algorithm", "4"}});
    algorithm4.erase("ae_zero_sensor");
    EXPECT_EQ(rejection(algorithm4), "(accepted)");
}

TEST(AlphasenseOptions, TheTableRejectsWhatIsOutOfRange) {
    EXPECT_THAT(rejection(workedExample({{"address", "0x50"}})), HasSubstr("address"));
    EXPECT_THAT(rejection(workedExample({{"we_channel", "4"}})), HasSubstr("we_channel"));
    EXPECT_THAT(rejection(workedExample({{"algorithm", "5"}})), HasSubstr("algorithm"));
    EXPECT_THAT(rejection(workedExample({{"full_scale", "5"}})), HasSubstr("full_scale"));
    EXPECT_THAT(rejection(workedExample({{"cell", "co_b4"}})), HasSubstr("cell"));
    EXPECT_THAT(rejection(workedExample({{"temperature", "60"}})), HasSubstr("temperature"));
    EXPECT_THAT(rejection(workedExample({{"temperature_max_age", "500ms"}})),
                HasSubstr("temperature_max_age"));
    EXPECT_EQ(rejection(workedExample({{"temperature_max_age", "1s"}})), "(accepted)");
    Settings noCell = workedExample();
    noCell.erase("cell");
    EXPECT_THAT(rejection(noCell), HasSubstr("cell"));
}

}  // namespace
}  // namespace citysense
