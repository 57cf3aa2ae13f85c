// The real /dev/i2c-N path end to end: the real citysensed, its LinuxI2cBus (open, ioctl(I2C_SLAVE),
// write, read, close) and the bme280 plugin, with the emulated chip behind a fake /dev/i2c-97 that the
// LD_PRELOAD library bme280-fake-i2c-dev provides (FakeI2cDev.cpp). Samples go to a console sink writing
// JSON lines to a file.

#include "Bme280Compensation.h"
#include "Bme280TestVectors.h"

#include <Programs.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

namespace citysense::bme280 {
namespace {

using namespace citysense::bme280::testdata;
using ::testing::HasSubstr;

const char* const kFakeDevice = "/dev/i2c-97";

class ScratchDir {
public:
    ScratchDir() {
        std::string pattern = (std::filesystem::temp_directory_path() / "bme280-e2e-XXXXXX").string();
        if (!mkdtemp(pattern.data()))
            throw std::runtime_error("cannot create a scratch directory");
        _path = pattern;
    }
    ~ScratchDir() {
        std::error_code ignored;
        std::filesystem::remove_all(_path, ignored);
    }
    const std::string& path() const { return _path; }

private:
    std::string _path;
};

/// Runs citysensed --once on `config` with the fake /dev/i2c-97 preloaded.
test::CommandResult runCitysensed(const std::string& config) {
    const char* inherited = std::getenv("ASAN_OPTIONS");
    const std::string asan =
        (inherited && *inherited ? std::string(inherited) + ":" : std::string()) + "verify_asan_link_order=0";
    return test::runCitysensed({"--once", "-c", config}, {{"LD_PRELOAD", BME280_FAKE_I2C_DEV_LIBRARY},
                                                          {"CITYSENSE_FAKE_I2C_DEV", kFakeDevice},
                                                          {"ASAN_OPTIONS", asan}});
}

/// A configuration reading one bme280 on `bus` into JSON lines at `<dir>/samples.jsonl`.
std::string writeConfig(const ScratchDir& dir, const std::string& driverOptions) {
    const std::string path = dir.path() + "/station.ini";
    std::ofstream out(path);
    out << "[host]\n"
           "system = hypo_city\n"
           "city = city_01\n"
           "street = street_01\n"
           "spool_dir = "
        << dir.path()
        << "/spool\n\n"
           "[driver.air]\n"
           "plugin = bme280\n"
        << driverOptions
        << "\n"
           "[sink.out]\n"
           "plugin = console\n"
           "format = json\n"
           "output = "
        << dir.path()
        << "/samples.jsonl\n\n"
           "[pipeline.main]\n"
           "drivers = air\n"
           "sinks = out\n";
    return path;
}

/// The text of `"key":` in a one-line JSON object, up to the next comma or brace, without quotes.
std::string fieldOf(const std::string& line, const std::string& key) {
    const std::string marker = "\"" + key + "\":";
    const auto start = line.find(marker);
    if (start == std::string::npos)
        return "";
    const auto begin = start + marker.size();
    std::string text = line.substr(begin, line.find_first_of(",}", begin) - begin);
    if (text.size() >= 2 && text.front() == '"')
        text = text.substr(1, text.size() - 2);
    return text;
}

/// The value of each quantity in the JSON lines of `path`.
std::map<std::string, double> valuesIn(const std::string& path) {
    std::ifstream in(path);
    std::map<std::string, double> values;
    std::string line;
    while (std::getline(in, line)) {
        const std::string quantity = fieldOf(line, "quantity");
        if (!quantity.empty())
            values[quantity] = std::stod(fieldOf(line, "value"));
    }
    return values;
}

std::string contentsOf(const std::string& path) {
    std::ifstream in(path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

TEST(Bme280Citysensed, ReadsTheDatasheetVectorThroughTheLinuxI2cBus) {
    ScratchDir dir;
    const test::CommandResult run =
        runCitysensed(writeConfig(dir, std::string("bus = ") + kFakeDevice + "\naddress = 0x76\n"));
    ASSERT_EQ(run.status, 0) << run.output;
    const std::string samples = dir.path() + "/samples.jsonl";
    const auto values = valuesIn(samples);
    ASSERT_EQ(values.size(), 3u) << contentsOf(samples) << run.output;
    EXPECT_NEAR(values.at("temperature"), 25.08, 0.005);
    EXPECT_NEAR(values.at("pressure"), 100653.27, 0.02);
    const Calibration c =
        decodeCalibration(kDatasheetCalibration.data(), kNegativeHumidityCalibration.data());
    EXPECT_NEAR(values.at("humidity"), compensateHumidity(c, kAdcH, kDatasheetTFine), 1e-9);
    EXPECT_THAT(run.output, HasSubstr("BME280 (chip id 0x60) on /dev/i2c-97 address 0x76"));
}

TEST(Bme280Citysensed, AnAddressWithoutAChipFailsWithTheErrnoText) {
    ScratchDir dir;
    const test::CommandResult run =
        runCitysensed(writeConfig(dir, std::string("bus = ") + kFakeDevice + "\naddress = 0x77\n"));
    EXPECT_NE(run.status, 0) << run.output;
    EXPECT_THAT(run.output, HasSubstr("/dev/i2c-97 address 0x77: write: No such device or address"));
}

TEST(Bme280Citysensed, ABusThePreloadDoesNotHandleFailsWithTheErrnoText) {
    ScratchDir dir;
    const test::CommandResult run = runCitysensed(writeConfig(dir, "bus = /dev/i2c-98\n"));
    EXPECT_NE(run.status, 0) << run.output;
    EXPECT_THAT(run.output, HasSubstr("/dev/i2c-98: open: No such file or directory"));
    EXPECT_FALSE(std::filesystem::exists(dir.path() + "/samples.jsonl") &&
                 !valuesIn(dir.path() + "/samples.jsonl").empty());
}

}  // namespace
}  // namespace citysense::bme280
