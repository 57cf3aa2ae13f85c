// The driver's chip logic against its emulator, through the same bus interface as on hardware.
#include "@CLASS@.h"
#include "@CLASS@Emulator.h"

#include <gtest/gtest.h>

#include <map>
#include <memory>

namespace {

using namespace citysense;

std::unique_ptr<@CLASS@> configured(const std::map<std::string, std::string>& raw) {
    auto driver = std::make_unique<@CLASS@>();
    const Station station{"test", "city", "street"};
    driver->attach({"driver.test", station, Source::intern(station, "driver.test")});
    std::vector<OptionIssue> issues;
    const Options options = Options::parse(driver->options(), raw, issues);
    EXPECT_TRUE(issues.empty());
    driver->configure(options);
    return driver;
}

TEST(@CLASS@, ReadsTheTemperatureRegister) {
    auto bus = std::make_shared<citysense::testing::FakeI2cBus>("fake-@NAME@");
    auto chip = std::make_shared<@CLASS@Emulator>();
    bus->attach(0x48, chip);
    registerI2cBus("fake-@NAME@", bus);
    auto driver = configured({{"bus", "fake-@NAME@"}});
    driver->open();
    for (const double celsius : {25.0, -10.5, 0.0625}) {
        chip->setTemperature(celsius);
        SampleBatch batch;
        driver->read(batch);
        ASSERT_EQ(batch.size(), 1u);
        EXPECT_EQ(batch[0].quantity, Quantity::Temperature);
        EXPECT_DOUBLE_EQ(batch[0].value, celsius);
    }
    driver->close();
    registerI2cBus("fake-@NAME@", nullptr);
}

TEST(@CLASS@, AMissingDeviceIsAnErrorNamingIt) {
    auto bus = std::make_shared<citysense::testing::FakeI2cBus>("fake-empty");
    registerI2cBus("fake-empty", bus);
    auto driver = configured({{"bus", "fake-empty"}, {"address", "0x49"}});
    driver->open();
    SampleBatch batch;
    try {
        driver->read(batch);
        FAIL() << "no error";
    } catch (const BusError& error) {
        EXPECT_NE(std::string(error.what()).find("fake-empty address 0x49"), std::string::npos);
    }
    registerI2cBus("fake-empty", nullptr);
}

}  // namespace
