#include <citysense/LatestReadings.h>

#include <gtest/gtest.h>

namespace citysense {
namespace {

Sample reading(const Source* source, Quantity quantity, double value, Micros time) {
    return {quantity, QualityOk, value, time, source};
}

TEST(LatestReadings, KeepsTheNewestWatchedReadingPerStation) {
    const Station here{"sys", "city", "here"};
    const Station there{"sys", "city", "there"};
    const Source* hereSource = Source::intern(here, "driver.air");
    const Source* thereSource = Source::intern(there, "driver.air");
    LatestReadings readings;
    readings.watch(Quantity::Humidity);
    readings.record({reading(hereSource, Quantity::Humidity, 40, 100),
                     reading(thereSource, Quantity::Humidity, 70, 100)});
    readings.record({reading(hereSource, Quantity::Humidity, 45, 200)});
    readings.record({reading(hereSource, Quantity::Humidity, 99, 150)});  // older: ignored
    EXPECT_EQ(readings.latest(here, Quantity::Humidity)->value, 45);
    EXPECT_EQ(readings.latest(there, Quantity::Humidity)->value, 70);
}

TEST(LatestReadings, UnwatchedQuantitiesAreNotRecorded) {
    const Station station{"sys", "city", "unwatched"};
    LatestReadings readings;
    readings.watch(Quantity::Humidity);
    readings.record({reading(Source::intern(station, "driver.x"), Quantity::TrafficSpeed, 50, 100)});
    EXPECT_FALSE(readings.latest(station, Quantity::TrafficSpeed));
}

TEST(LatestReadings, EachConfigurationKeepsItsOwn) {
    const Station station{"sys", "city", "reloaded"};
    LatestReadings before;
    before.watch(Quantity::Temperature);
    before.record({reading(Source::intern(station, "driver.air"), Quantity::Temperature, 21, 100)});
    LatestReadings after;  // what a reload starts with
    EXPECT_FALSE(after.latest(station, Quantity::Temperature));
    after.record({reading(Source::intern(station, "driver.air"), Quantity::Temperature, 22, 200)});
    EXPECT_FALSE(after.latest(station, Quantity::Temperature)) << "watched in the old configuration only";
    EXPECT_EQ(before.latest(station, Quantity::Temperature)->value, 21);
}

}  // namespace
}  // namespace citysense
