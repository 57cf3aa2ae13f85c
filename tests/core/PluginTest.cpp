// What the plugin base class keeps of the context the host attaches it with.

#include <citysense/Driver.h>
#include <citysense/DropCounts.h>
#include <citysense/EventCounts.h>
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

TEST(Plugin, CountsDropsInTheCountsTheHostLends) {
    const Station station{"sys", "city", "drops"};
    DropCounts lent("driver.idle");
    IdleDriver driver;
    driver.attach({"driver.idle", station, Source::intern(station, "driver.idle"), nullptr, &lent});
    driver.countDropped("bad_frame");
    driver.countDropped("bad_frame", 2, "a detail");
    EXPECT_EQ(lent.count("bad_frame"), 3u);
    EXPECT_EQ(&driver.dropCounts(), &lent);
}

TEST(Plugin, WithoutCountsLentItCountsInItsOwn) {
    const Station station{"sys", "city", "own"};
    IdleDriver driver;
    EXPECT_THROW(driver.countDropped("bad_frame"), std::logic_error);
    EXPECT_THROW(driver.dropCounts(), std::logic_error);
    driver.attach({"driver.idle", station, Source::intern(station, "driver.idle")});
    driver.countDropped("bad_frame", 4);
    EXPECT_EQ(driver.dropCounts().count("bad_frame"), 4u);
}

TEST(Plugin, CountsEventsInTheCountsTheHostLends) {
    const Station station{"sys", "city", "events"};
    EventCounts lent("driver.idle");
    IdleDriver driver;
    driver.attach({"driver.idle", station, Source::intern(station, "driver.idle"), nullptr, nullptr, &lent});
    driver.countEvent("failover");
    driver.countEvent("failover", 2);
    EXPECT_EQ(lent.count("failover"), 3u);
    EXPECT_EQ(&driver.eventCounts(), &lent);
}

TEST(Plugin, WithoutEventCountsLentItCountsEventsInItsOwn) {
    const Station station{"sys", "city", "own_events"};
    IdleDriver driver;
    EXPECT_THROW(driver.countEvent("failover"), std::logic_error);
    EXPECT_THROW(driver.eventCounts(), std::logic_error);
    driver.attach({"driver.idle", station, Source::intern(station, "driver.idle")});
    driver.countEvent("failover", 4);
    EXPECT_EQ(driver.eventCounts().count("failover"), 4u);
}

}  // namespace
}  // namespace citysense
