#include <PluginHarness.h>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

using namespace citysense;
using citysense::test::makeSink;
using citysense::test::testSample;

namespace {

constexpr Micros kTime = 1795514400123456;  // 2026-11-24 10:00:00.123456 UTC

const char* const kSeedLine =
    "System: hypo_city\tCity: city_01\tStreet: street_01\tSensorType: temperature\tDataType: celcius\t"
    "SensorData: 28.91\tTimeStamp: 2026-11-24 10:00:00.123456";

class ConsoleSink : public ::testing::Test {
protected:
    void SetUp() override {
        std::string pattern = (std::filesystem::temp_directory_path() / "console-sink-XXXXXX").string();
        ASSERT_NE(mkdtemp(pattern.data()), nullptr);
        _directory = pattern;
    }
    void TearDown() override { std::filesystem::remove_all(_directory); }

    std::string path(const std::string& name) const { return (_directory / name).string(); }

    /// Opens a sink with `options`, writes `batch`, closes it and returns what it wrote to `out.log`.
    std::string writeToFile(std::map<std::string, std::string> options, const SampleBatch& batch) {
        options["output"] = path("out.log");
        auto sink = makeSink("console", options);
        sink->open();
        sink->write(batch);
        sink->close();
        return contents(path("out.log"));
    }

    static std::string contents(const std::string& file) {
        std::ifstream in(file);
        std::ostringstream text;
        text << in.rdbuf();
        return text.str();
    }

private:
    std::filesystem::path _directory;
};

}  // namespace

TEST_F(ConsoleSink, SeedLineIsThePrototypesLine) {
    EXPECT_EQ(writeToFile({}, {testSample(Quantity::Temperature, 28.91, kTime)}),
              std::string(kSeedLine) + "\n");
}

TEST_F(ConsoleSink, WritesToStdoutByDefault) {
    auto sink = makeSink("console", {});
    sink->open();
    testing::internal::CaptureStdout();
    sink->write({testSample(Quantity::Temperature, 28.91, kTime)});
    EXPECT_EQ(testing::internal::GetCapturedStdout(), std::string(kSeedLine) + "\n");
    sink->close();
}

TEST_F(ConsoleSink, JsonLineCarriesValueUnitTimestampAndQuality) {
    const std::string text =
        writeToFile({{"format", "json"}},
                    {testSample(Quantity::Temperature, 28.91, kTime, QualityOutOfRange | QualitySimulated)});
    ASSERT_EQ(text.back(), '\n');
    const auto object = Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>();
    EXPECT_EQ(object->getValue<double>("value"), 28.91);
    EXPECT_EQ(object->getValue<std::string>("unit"), "Cel");
    EXPECT_EQ(object->getValue<std::string>("quantity"), "temperature");
    EXPECT_EQ(object->getValue<std::string>("timestamp"), "2026-11-24T10:00:00.123456Z");
    const auto quality = object->getArray("quality");
    ASSERT_EQ(quality->size(), 2u);
    EXPECT_EQ(quality->getElement<std::string>(0), "out_of_range");
    EXPECT_EQ(quality->getElement<std::string>(1), "simulated");
}

TEST_F(ConsoleSink, PrecisionSetsTheDecimalsOfSensorData) {
    const SampleBatch batch{testSample(Quantity::Temperature, 28.91, kTime)};
    EXPECT_NE(writeToFile({{"precision", "0"}}, batch).find("\tSensorData: 29\t"), std::string::npos);
    EXPECT_NE(writeToFile({{"precision", "4"}}, batch).find("\tSensorData: 28.9100\t"), std::string::npos);
}

TEST_F(ConsoleSink, FileOutputIsAppendedOneLineASample) {
    writeToFile({}, {testSample(Quantity::Temperature, 28.91, kTime)});
    const std::string text = writeToFile(
        {}, {testSample(Quantity::Temperature, 28.91, kTime), testSample(Quantity::Humidity, 40.0, kTime)});
    const std::string humidityLine =
        "System: hypo_city\tCity: city_01\tStreet: street_01\tSensorType: air_condition\tDataType: humidity\t"
        "SensorData: 40.00\tTimeStamp: 2026-11-24 10:00:00.123456\n";
    EXPECT_EQ(text, std::string(kSeedLine) + "\n" + kSeedLine + "\n" + humidityLine);
}

TEST_F(ConsoleSink, UnopenableOutputNamesThePath) {
    const std::string missing = path("no-such-directory/out.log");
    auto sink = makeSink("console", {{"output", missing}});
    try {
        sink->open();
        FAIL() << "open() did not throw";
    } catch (const std::runtime_error& error) {
        EXPECT_NE(std::string(error.what()).find(missing), std::string::npos) << error.what();
        EXPECT_NE(std::string(error.what()).find("No such file or directory"), std::string::npos)
            << error.what();
    }
}

TEST_F(ConsoleSink, FailedWriteThrowsWithTheReason) {
    if (!std::filesystem::exists("/dev/full"))
        GTEST_SKIP() << "no /dev/full";
    auto sink = makeSink("console", {{"output", "/dev/full"}});
    sink->open();
    try {
        sink->write({testSample(Quantity::Temperature, 28.91, kTime)});
        FAIL() << "write() did not throw";
    } catch (const std::runtime_error& error) {
        EXPECT_NE(std::string(error.what()).find("No space left on device"), std::string::npos)
            << error.what();
    }
    sink->close();
}
