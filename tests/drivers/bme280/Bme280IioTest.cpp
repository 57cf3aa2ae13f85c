// The bme280 driver's iio backend on a scratch directory laid out like a kernel IIO device: units
// converted, a missing humidity file meaning no humidity channel, and faults naming the file.

#include <PluginHarness.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <string>

namespace citysense {
namespace {

using test::errorOf;
using test::optionKeyOf;
using ::testing::HasSubstr;
using Settings = std::map<std::string, std::string>;

/// A temporary directory standing for /sys/bus/iio/devices/iio:deviceN, removed at the end.
class IioDirectory {
public:
    IioDirectory() {
        std::string pattern = (std::filesystem::temp_directory_path() / "bme280-iio-XXXXXX").string();
        if (!mkdtemp(pattern.data()))
            throw std::runtime_error("cannot create a scratch directory");
        _path = pattern;
    }
    ~IioDirectory() {
        std::error_code ignored;
        std::filesystem::remove_all(_path, ignored);
    }

    void write(const std::string& name, const std::string& text) const {
        std::ofstream out(_path + "/" + name);
        out << text;
    }
    void remove(const std::string& name) const { std::filesystem::remove(_path + "/" + name); }
    const std::string& path() const { return _path; }

private:
    std::string _path;
};

/// A BME280 as the kernel's bmp280 driver shows it: milli-°C, kPa, milli-%RH.
void writeBme280(const IioDirectory& device) {
    device.write("name", "bme280\n");
    device.write("in_temp_input", "25080\n");
    device.write("in_pressure_input", "100.653270000\n");
    device.write("in_humidityrelative_input", "49606\n");
}

std::unique_ptr<Driver> iioDriver(const IioDirectory& device, Settings settings = {}) {
    settings.emplace("backend", "iio");
    settings.emplace("iio_device", device.path());
    return test::makeDriver("bme280", settings);
}

std::optional<double> valueOf(const SampleBatch& batch, Quantity quantity) {
    for (const auto& sample : batch) {
        if (sample.quantity == quantity)
            return sample.value;
    }
    return std::nullopt;
}

TEST(Bme280Iio, ReadsTheKernelsFilesInTheirUnits) {
    IioDirectory device;
    writeBme280(device);
    auto bme = iioDriver(device);
    bme->open();
    SampleBatch batch;
    bme->read(batch);
    ASSERT_EQ(batch.size(), 3u);
    EXPECT_DOUBLE_EQ(*valueOf(batch, Quantity::Temperature), 25.08);
    EXPECT_NEAR(*valueOf(batch, Quantity::Pressure), 100653.27, 1e-6);
    EXPECT_DOUBLE_EQ(*valueOf(batch, Quantity::Humidity), 49.606);
    for (const auto& sample : batch)
        EXPECT_EQ(sample.quality, QualityOk);

    device.write("in_temp_input", "-5250\n");  // every read is a new measurement
    batch.clear();
    bme->read(batch);
    EXPECT_DOUBLE_EQ(*valueOf(batch, Quantity::Temperature), -5.25);
    bme->close();
}

TEST(Bme280Iio, NoHumidityFileMeansNoHumidityChannel) {
    IioDirectory device;
    writeBme280(device);
    device.write("name", "bmp280\n");
    device.remove("in_humidityrelative_input");
    auto bme = iioDriver(device);
    bme->open();
    ASSERT_EQ(bme->channels().size(), 2u);
    EXPECT_EQ(bme->channels()[0].quantity, Quantity::Temperature);
    EXPECT_EQ(bme->channels()[1].quantity, Quantity::Pressure);
    SampleBatch batch;
    bme->read(batch);
    EXPECT_EQ(batch.size(), 2u);
    EXPECT_FALSE(valueOf(batch, Quantity::Humidity));
}

TEST(Bme280Iio, OversamplingOffDropsTheChannelAndItsFileIsNotRead) {
    IioDirectory device;
    writeBme280(device);
    device.remove("in_pressure_input");
    auto bme = iioDriver(device, {{"oversampling_pressure", "off"}});
    bme->open();
    SampleBatch batch;
    bme->read(batch);
    EXPECT_EQ(batch.size(), 2u);
    EXPECT_FALSE(valueOf(batch, Quantity::Pressure));
}

TEST(Bme280Iio, MissingDeviceIsAnErrorNamingTheDirectory) {
    IioDirectory device;
    const std::string missing = device.path() + "/iio:device7";
    auto bme = test::makeDriver("bme280", {{"backend", "iio"}, {"iio_device", missing}});
    const std::string error = errorOf([&] { bme->open(); });
    EXPECT_THAT(error, HasSubstr(missing));
    EXPECT_THAT(error, HasSubstr("in_temp_input"));
}

TEST(Bme280Iio, UnreadableValueIsAnErrorNamingTheFile) {
    IioDirectory device;
    writeBme280(device);
    auto bme = iioDriver(device);
    bme->open();
    device.write("in_pressure_input", "busy\n");
    SampleBatch batch;
    const std::string error = errorOf([&] { bme->read(batch); });
    EXPECT_THAT(error, HasSubstr(device.path() + "/in_pressure_input"));
    EXPECT_THAT(error, HasSubstr("'busy' is not a number"));
    device.remove("in_temp_input");
    EXPECT_THAT(errorOf([&] { bme->read(batch); }),
                HasSubstr(device.path() + "/in_temp_input: open: No such file or directory"));
}

TEST(Bme280Iio, ChipSettingsTheKernelOwnsAreConfigurationErrors) {
    IioDirectory device;
    writeBme280(device);
    EXPECT_EQ(optionKeyOf([] { test::makeDriver("bme280", {{"backend", "iio"}}); }), "iio_device");
    EXPECT_EQ(optionKeyOf([&] { iioDriver(device, {{"filter", "4"}}); }), "filter");
    EXPECT_EQ(optionKeyOf([&] {
                  iioDriver(device, {{"oversampling_humidity", "16"}});
              }),
              "oversampling_humidity");
}

}  // namespace
}  // namespace citysense
