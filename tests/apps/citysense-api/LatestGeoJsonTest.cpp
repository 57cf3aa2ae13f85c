// citysense-api's /latest.geojson over SQLite and a real MariaDB, with readings written relative to
// now: a fresh station, a stale one, one with a single reading and no position, one without sensors;
// and staleness by the timings gateways announced.
#include "ApiTestStore.h"

#include <Poco/JSON/Array.h>

#include <gtest/gtest.h>

namespace citysense {
namespace {

using namespace test;

constexpr Micros kSecond = 1000000;
constexpr Micros kMinute = 60 * kSecond;

class LatestGeoJson : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        _store = std::make_unique<ApiTestStore>(GetParam());
        _store->execute(
            "INSERT INTO stations (id, system, city, street, latitude, longitude) VALUES "
            "(1, 'hypo_city', 'city_01', 'fresh', 52.5, 13.4), (2, 'hypo_city', 'city_01', 'stale', 52.6, "
            "13.5), "
            "(3, 'hypo_city', 'city_01', 'single', NULL, NULL), (4, 'hypo_city', 'city_01', 'empty', 52.7, "
            "13.6);"
            "INSERT INTO sensors (id, station_id, quantity, unit, driver) VALUES "
            "(1, 1, 'no2', 'ppb', 'driver.air'), (2, 1, 'so2', 'ppb', 'driver.air'), "
            "(3, 1, 'temperature', 'Cel', 'driver.air'), (4, 2, 'no2', 'ppb', 'driver.air'), "
            "(5, 3, 'temperature', 'Cel', 'driver.air');");
        const Micros now = nowMicros() / kSecond * kSecond;
        std::string sql = "INSERT INTO readings (sensor_id, time, value, quality) VALUES ";
        const auto add = [&](int sensor, Micros time, double value, int quality) {
            sql += (sql.back() == ')' ? ", (" : "(") + std::to_string(sensor) + ", " +
                   _store->timeLiteral(time) + ", " + std::to_string(value) + ", " + std::to_string(quality) +
                   ")";
        };
        // Station 1: every minute for the last two and a half hours, the last 30 s ago.
        for (int minute = 0; minute < 150; ++minute) {
            const Micros time = now - 30 * kSecond - minute * kMinute;
            add(1, time, 20, 0);  // 38.25 µg/m³: Moderate
            add(2, time, 10, 0);  // 26.6 µg/m³: Fair
            add(3, time, 21.5, minute == 0 ? 9 : 0);
        }
        // Station 2: every minute from three hours ago to two hours ago.
        for (int minute = 120; minute <= 180; ++minute)
            add(4, now - minute * kMinute, 30, 0);
        add(5, now - 10 * kMinute, 4.5, 0);
        _store->execute(sql + ";");
        _service = std::make_unique<ApiService>(_store->writeConfiguration());
    }

    std::unique_ptr<ApiTestStore> _store;
    std::unique_ptr<ApiService> _service;
};

TEST_P(LatestGeoJson, OneFeaturePerStationWithItsLatestValuesTheirAgeAndItsIndex) {
    const ApiAnswer answer = _service->get("/latest.geojson");
    ASSERT_EQ(answer.status, 200) << answer.body;
    EXPECT_EQ(answer.json->getValue<std::string>("type"), "FeatureCollection");
    const auto features = answer.json->getArray("features");
    ASSERT_EQ(features->size(), 4u);

    const auto fresh = features->getObject(0);
    EXPECT_EQ(fresh->getValue<std::string>("type"), "Feature");
    EXPECT_EQ(fresh->getObject("geometry")->getValue<std::string>("type"), "Point");
    EXPECT_EQ(fresh->getObject("geometry")->getArray("coordinates")->getElement<double>(0), 13.4);
    EXPECT_EQ(fresh->getObject("geometry")->getArray("coordinates")->getElement<double>(1), 52.5);
    const auto properties = fresh->getObject("properties");
    EXPECT_EQ(properties->getValue<std::string>("station"), "hypo_city/city_01/fresh");
    EXPECT_EQ(properties->getValue<int>("Thing@iot.id"), 1);
    const auto no2 = properties->getObject("latest")->getObject("no2");
    EXPECT_EQ(no2->getValue<int>("Datastream@iot.id"), 1);
    EXPECT_EQ(no2->getValue<double>("value"), 20);
    EXPECT_EQ(no2->getValue<std::string>("unit"), "ppb");
    EXPECT_GE(no2->getValue<double>("age_seconds"), 29);
    EXPECT_LT(no2->getValue<double>("age_seconds"), 120);
    EXPECT_FALSE(no2->getValue<bool>("stale"));
    EXPECT_EQ(no2->getValue<double>("sensor_interval_seconds"), 60);
    EXPECT_EQ(no2->getValue<std::string>("interval_source"), "median_spacing");
    const auto temperature = properties->getObject("latest")->getObject("temperature");
    EXPECT_EQ(temperature->getValue<std::string>("unit"), "Cel");
    EXPECT_EQ(temperature->getArray("quality")->getElement<std::string>(0), "out_of_range");
    const auto index = properties->getObject("eaqi");
    EXPECT_EQ(index->getObject("band")->getValue<std::string>("name"), "Moderate");
    EXPECT_EQ(index->getValue<std::string>("pollutant"), "no2");
    EXPECT_FALSE(index->getValue<bool>("incomplete"));
    EXPECT_EQ(index->getValue<std::string>("start").substr(13), ":00:00.000000Z");

    const auto stale = features->getObject(1)->getObject("properties");
    const auto staleNo2 = stale->getObject("latest")->getObject("no2");
    EXPECT_TRUE(staleNo2->getValue<bool>("stale"));
    EXPECT_GE(staleNo2->getValue<double>("age_seconds"), 7200);
    EXPECT_TRUE(stale->getObject("eaqi")->isNull("band"));
    EXPECT_TRUE(stale->getObject("eaqi")->getValue<bool>("incomplete"));

    const auto single = features->getObject(2);
    EXPECT_TRUE(single->isNull("geometry"));
    const auto singleTemperature =
        single->getObject("properties")->getObject("latest")->getObject("temperature");
    EXPECT_TRUE(singleTemperature->isNull("stale")) << "one reading tells no interval";
    EXPECT_TRUE(single->getObject("properties")->isNull("eaqi"));

    const auto empty = features->getObject(3)->getObject("properties");
    EXPECT_EQ(empty->getObject("latest")->size(), 0u);
    EXPECT_TRUE(empty->isNull("eaqi"));
}

TEST_P(LatestGeoJson, AnnouncedTimingsDecideStaleness) {
    // Station 3's one reading (10 minutes old) from a sensor announced as reporting every minute: stale.
    // Station 2's no2 (two hours old) behind a deadband silent for up to 2.5 hours: not stale; silent
    // without bound: nobody can tell (null).
    _store->execute(
        "UPDATE sensors SET interval_us = 60000000 WHERE id = 5;"
        "UPDATE sensors SET interval_us = 60000000, on_change = 1, max_silence_us = 9000000000 WHERE id = "
        "4;");
    const auto latest = [&](unsigned feature, const char* quantity) {
        return _service->json("/latest.geojson")
            ->getArray("features")
            ->getObject(feature)
            ->getObject("properties")
            ->getObject("latest")
            ->getObject(quantity);
    };
    const auto single = latest(2, "temperature");
    EXPECT_EQ(single->getValue<std::string>("interval_source"), "announced");
    EXPECT_EQ(single->getValue<double>("sensor_interval_seconds"), 60);
    EXPECT_TRUE(single->getValue<bool>("stale"));
    const auto quiet = latest(1, "no2");
    EXPECT_EQ(quiet->getValue<std::string>("interval_source"), "announced");
    EXPECT_FALSE(quiet->getValue<bool>("stale"));
    _store->execute("UPDATE sensors SET max_silence_us = NULL WHERE id = 4;");
    EXPECT_TRUE(latest(1, "no2")->isNull("stale"));
}

INSTANTIATE_TEST_SUITE_P(Stores, LatestGeoJson, ::testing::Values("sqlite", "mysql"),
                         [](const auto& info) { return info.param == "mysql" ? "MariaDb" : "Sqlite"; });

}  // namespace
}  // namespace citysense
