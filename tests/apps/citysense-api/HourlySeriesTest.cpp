// HourlySeries over SQLite and a real MariaDB: hourly aggregates read a few readings at a time (chunks
// ending mid-hour, an hour holding more than a chunk, flagged readings left out) are the airquality
// library's aggregates of all the usable readings at once; and the median spacing.
#include "ApiTestStore.h"
#include "HourlySeries.h"

#include "airquality/Calendar.h"

#include <citysense/Sample.h>

#include <gtest/gtest.h>

#include <fstream>

namespace citysense {
namespace {

using namespace test;
using airquality::Aggregate;

constexpr Micros kSecond = 1000000;
constexpr Micros kStart = 1740787200 * kSecond;  // 2025-03-01T00:00:00Z

TEST(MedianSpacing, IsTheMiddleSpacingOfTheTimesInAnyOrder) {
    EXPECT_FALSE(api::medianSpacing({}));
    EXPECT_FALSE(api::medianSpacing({5}));
    EXPECT_EQ(api::medianSpacing({10, 0}), 10);
    EXPECT_EQ(api::medianSpacing({0, 60, 120, 1000, 180}), 60);  // a gap does not move it
    EXPECT_EQ(api::medianSpacing({30, 0, 10}), 20);              // of two middle ones, the upper
}

class HourlySeries : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        _store = std::make_unique<ApiTestStore>(GetParam());
        _store->execute(
            "INSERT INTO stations (id, system, city, street) VALUES (1, 'hypo_city', 'city_01', 'street_01');"
            "INSERT INTO sensors (id, station_id, quantity, unit, driver) VALUES (1, 1, 'no2', 'ppb', "
            "'driver.air');");
        api::StoreSettings settings;
        settings.sqlite = !_store->mariadb();
        settings.sessions = 1;
        if (_store->mariadb()) {
            settings.connection = "host=127.0.0.1;port=" + std::to_string(_store->server().port()) +
                                  ";db=citysense;user=reader";
            std::ifstream(_store->directory() / "reader.password") >> settings.password;
        } else {
            settings.connection = _store->sqliteFile();
        }
        _readings = std::make_unique<api::ReadingsStore>(settings);
    }

    std::unique_ptr<ApiTestStore> _store;
    std::unique_ptr<api::ReadingsStore> _readings;
};

void expectSame(const std::vector<Aggregate>& actual, const std::vector<Aggregate>& expected) {
    ASSERT_EQ(actual.size(), expected.size());
    for (std::size_t at = 0; at < actual.size(); ++at) {
        SCOPED_TRACE("hour " + std::to_string(at));
        EXPECT_EQ(actual[at].start, expected[at].start);
        EXPECT_EQ(actual[at].count, expected[at].count);
        EXPECT_EQ(actual[at].coverage, expected[at].coverage);
        EXPECT_EQ(actual[at].valid, expected[at].valid);
        EXPECT_EQ(actual[at].min, expected[at].min);
        EXPECT_EQ(actual[at].max, expected[at].max);
        ASSERT_EQ(actual[at].mean.has_value(), expected[at].mean.has_value());
        if (actual[at].mean) {
            EXPECT_NEAR(*actual[at].mean, *expected[at].mean, 1e-9);
        }
    }
}

TEST_P(HourlySeries, ReadInChunksItIsTheLibrarysAggregateOfTheUsableReadings) {
    // Readings 37 s apart over five hours, but a silent half hour, every 13th flagged as a sensor
    // fault, and at the start of the third hour a burst of 40 readings: more than a chunk.
    std::vector<airquality::Reading> usable;
    std::string sql = "INSERT INTO readings (sensor_id, time, value, quality) VALUES ";
    const auto add = [&](Micros time, double value, int quality) {
        sql += std::string(sql.back() == ')' ? ", (" : "(") + "1, " + _store->timeLiteral(time) + ", " +
               std::to_string(value) + ", " + std::to_string(quality) + ")";
        if (quality == 0 || quality == QualitySimulated)
            usable.push_back({time, value});
    };
    // Before the range: the last usable one stands into it.
    add(kStart - 20 * kSecond, 7, 0);
    int index = 0;
    bool burst = false;
    const Micros thirdHour = kStart + 2 * airquality::kMicrosPerHour;
    for (Micros time = kStart; time < kStart + 5 * airquality::kMicrosPerHour;
         time += 37 * kSecond, ++index) {
        if (time > kStart + 3600 * kSecond && time < kStart + 5400 * kSecond)
            continue;
        if (time > thirdHour && !burst) {
            burst = true;  // a quarter of a second apart, all before `time`
            for (int reading = 0; reading < 40; ++reading)
                add(thirdHour + kSecond / 2 + reading * kSecond / 4, 100 + reading, 0);
        }
        add(time, index % 7, index % 13 == 0 ? QualitySensorFault : (index % 5 == 0 ? QualitySimulated : 0));
    }
    _store->execute(sql + ";");
    api::AirQualityStore store(*_readings);
    const Micros to = kStart + 6 * airquality::kMicrosPerHour;
    const auto timing = api::timingOf(37 * kSecond);
    const auto expected = airquality::aggregate(usable, kStart, to, timing, airquality::Period::Hour);
    for (const std::size_t chunk : {std::size_t{1}, std::size_t{7}, std::size_t{1000}}) {
        SCOPED_TRACE("chunks of " + std::to_string(chunk));
        expectSame(api::hourlyAggregates(store, 1, kStart, to, timing, chunk), expected);
    }
    EXPECT_EQ(api::sensorInterval(store, 1, to), 37 * kSecond);
}

INSTANTIATE_TEST_SUITE_P(Stores, HourlySeries, ::testing::Values("sqlite", "mysql"),
                         [](const auto& info) { return info.param == "mysql" ? "MariaDb" : "Sqlite"; });

}  // namespace
}  // namespace citysense
