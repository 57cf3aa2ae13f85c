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
    watchLatest(Quantity::Humidity);
    recordLatest({reading(hereSource, Quantity::Humidity, 40, 100),
                  reading(thereSource, Quantity::Humidity, 70, 100)});
    recordLatest({reading(hereSource, Quantity::Humidity, 45, 200)});
    recordLatest({reading(hereSource, Quantity::Humidity, 99, 150)});  // older: ignored
    EXPECT_EQ(latestReading(here, Quantity::Humidity)->value, 45);
    EXPECT_EQ(latestReading(there, Quantity::Humidity)->value, 70);
}

TEST(LatestReadings, UnwatchedQuantitiesAreNotRecorded) {
    const Station station{"sys", "city", "unwatched"};
    recordLatest({reading(Source::intern(station, "driver.x"), Quantity::TrafficSpeed, 50, 100)});
    EXPECT_FALSE(latestReading(station, Quantity::TrafficSpeed));
}

}  // namespace
}  // namespace citysense
