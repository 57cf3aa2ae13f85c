// What the plugin base class keeps of the context the host attaches it with.

#include <citysense/Driver.h>
#include <citysense/LatestReadings.h>

#include <Poco/Logger.h>

#include <gtest/gtest.h>

#include <stdexcept>

namespace citysense {
namespace {

class IdleDriver : public Driver {
public:
    const OptionTable& options() const override {
        static const OptionTable none;
        return none;
    }
    void configure(const Options&) override {}
    std::vector<Channel> channels() const override { return {}; }
};

TEST(Plugin, KeepsTheIdentityAndWhatTheHostLends) {
    const Station station{"sys", "city", "lent"};
    LatestReadings readings;
    IdleDriver driver;
    driver.attach({"driver.idle", station, Source::intern(station, "driver.idle"), &readings});
    EXPECT_EQ(driver.instanceName(), "driver.idle");
    EXPECT_EQ(driver.station().street, "lent");
    EXPECT_EQ(driver.source(), Source::intern(station, "driver.idle"));
    EXPECT_EQ(driver.logger().name(), "driver.idle");
    EXPECT_EQ(&driver.latestReadings(), &readings);
}

TEST(Plugin, WithoutLatestReadingsLentAskingForThemIsAnError) {
    const Station station{"sys", "city", "unlent"};
    IdleDriver driver;
    EXPECT_THROW(driver.latestReadings(), std::logic_error);
    driver.attach({"driver.idle", station, Source::intern(station, "driver.idle")});
    EXPECT_THROW(driver.latestReadings(), std::logic_error);
}

}  // namespace
}  // namespace citysense
