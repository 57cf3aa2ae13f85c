// Paging through Observations with @iot.nextLink, over SQLite and a real MariaDB: keyset paging on
// (time, sensor) visits every reading exactly once and in order while the ingest keeps adding readings
// ahead of the walk and a late gateway behind it,
// with a $filter too, and $top defaults to 100 and stops at 10,000.
#include "ApiTestStore.h"

#include <Poco/JSON/Array.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <set>
#include <thread>

namespace citysense {
namespace {

using namespace test;

constexpr Micros kStart = 1764000000000000;  // 2025-11-24 16:00:00 UTC
constexpr Micros kSecond = 1000000;

/// (sensor, time) of an Observation id, for checking the order.
std::pair<Micros, long> key(const std::string& id) {
    const auto dash = id.find('-');
    return {std::stoll(id.substr(dash + 1)), std::stol(id.substr(0, dash))};
}

class ObservationPaging : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        _store = std::make_unique<ApiTestStore>(GetParam());
        _store->execute(
            "INSERT INTO stations (id, system, city, street) VALUES (1, 'hypo_city', 'city_01', 'street_01');"
            "INSERT INTO sensors (id, station_id, quantity, unit, driver) VALUES (1, 1, 'no2', 'ppb', "
            "'driver.a'), "
            "(2, 1, 'so2', 'ppb', 'driver.a'), (3, 1, 'temperature', 'Cel', 'driver.b'), "
            "(4, 1, 'wind_speed', 'm/s', 'driver.late');");
    }

    /// Readings of sensors 1 to 3 at the same `count` seconds from kStart + `first` seconds: every time
    /// is shared by three readings, which only the sensor orders.
    void insertSeconds(int first, int count) const {
        std::string sql = "INSERT INTO readings (sensor_id, time, value, quality) VALUES ";
        for (int second = first; second < first + count; ++second) {
            for (int sensor = 1; sensor <= 3; ++sensor)
                sql += std::string(second == first && sensor == 1 ? "" : ", ") + "(" +
                       std::to_string(sensor) + ", " + _store->timeLiteral(kStart + second * kSecond) + ", " +
                       std::to_string(second) + ", 0)";
        }
        _store->execute(sql + ";");
    }

    static std::string id(int sensor, int second) { return observationId(sensor, kStart + second * kSecond); }

    static std::string observationId(int sensor, Micros time) {
        return std::to_string(sensor) + "-" + std::to_string(time);
    }

    /// Follows @iot.nextLink from `target` to the last page; the ids in the order they came.
    /// `betweenPages` gets the last id of each page before the next is asked for.
    static std::vector<std::string> walk(
        const ApiService& service, std::string target,
        const std::function<void(const std::string&)>& betweenPages = [](const std::string&) {}) {
        std::vector<std::string> seen;
        for (;;) {
            const ApiAnswer page = service.get(target);
            EXPECT_EQ(page.status, 200) << page.body;
            if (page.status != 200)
                return seen;
            const auto values = page.json->getArray("value");
            for (std::size_t at = 0; at < values->size(); ++at)
                seen.push_back(
                    values->getObject(static_cast<unsigned>(at))->getValue<std::string>("@iot.id"));
            if (!page.json->has("@iot.nextLink"))
                return seen;
            target = page.json->getValue<std::string>("@iot.nextLink");
            betweenPages(seen.back());
        }
    }

    std::unique_ptr<ApiTestStore> _store;
};

TEST_P(ObservationPaging, VisitsEveryReadingOnceInOrderWhileReadingsArrive) {
    insertSeconds(0, 40);  // 120 readings
    std::set<std::string> before;
    for (int second = 0; second < 40; ++second) {
        for (int sensor = 1; sensor <= 3; ++sensor)
            before.insert(id(sensor, second));
    }
    ApiService service(_store->writeConfiguration());

    std::atomic<bool> stop{false};
    std::atomic<bool> ingestDone{false};
    std::atomic<int> insertedSeconds{0};
    std::thread ingest([&] {
        // The ingest goes on writing later readings, a second (3 readings) per transaction.
        for (int second = 40; second < 100 && !stop; ++second) {
            insertSeconds(second, 1);
            insertedSeconds = second - 40 + 1;
        }
        ingestDone = true;
    });
    int pages = 0;
    std::set<std::string> late;
    const std::vector<std::string> seen =
        walk(service, "/v1.1/Observations?$top=7", [&](const std::string& last) {
            // A late gateway's reading lands just behind the walk (sensor 4, 1 µs before the page's last
            // reading): paging by offset would then show the walk a reading it has seen already.
            const Micros behind = key(last).first - 1;
            if (late.insert(observationId(4, behind)).second)
                _store->execute("INSERT INTO readings (sensor_id, time, value, quality) VALUES (4, " +
                                _store->timeLiteral(behind) + ", 1, 0);");
            // The first 30 pages each wait for one more second written: pages and writes interleave.
            const int written = std::min(++pages, 30);
            eventually([&] { return insertedSeconds >= written || ingestDone; });
        });
    stop = true;
    ingest.join();

    std::set<std::string> distinct;
    for (std::size_t at = 0; at < seen.size(); ++at) {
        ASSERT_TRUE(distinct.insert(seen[at]).second) << seen[at] << " came twice";
        if (at > 0) {
            ASSERT_LT(key(seen[at - 1]), key(seen[at])) << "out of order at " << at;
        }
    }
    for (const auto& expected : before)
        EXPECT_TRUE(distinct.count(expected)) << expected << " was never visited";
    EXPECT_GT(distinct.size(), before.size()) << "the walk saw none of the readings written while it ran";
    for (const auto& behind : late)
        EXPECT_FALSE(distinct.count(behind)) << behind << " was written behind the walk, yet visited";
    for (const auto& got : seen)
        EXPECT_LT(key(got).first, kStart + (40 + insertedSeconds) * kSecond) << got << " was never written";

    // Once the ingest has stopped, one more walk (another page size) visits exactly what is stored.
    const std::vector<std::string> after = walk(service, "/v1.1/Observations?$top=13");
    EXPECT_EQ(after.size(), 3u * static_cast<std::size_t>(40 + insertedSeconds) + late.size());
    EXPECT_EQ(std::set<std::string>(after.begin(), after.end()).size(), after.size());
}

TEST_P(ObservationPaging, AFilteredWalkVisitsEveryMatchingReadingOnceWhileReadingsArrive) {
    insertSeconds(0, 40);
    ApiService service(_store->writeConfiguration());
    std::atomic<bool> stop{false};
    std::atomic<bool> ingestDone{false};
    std::atomic<int> insertedSeconds{0};
    std::thread ingest([&] {
        for (int second = 40; second < 80 && !stop; ++second) {
            insertSeconds(second, 1);
            insertedSeconds = second - 40 + 1;
        }
        ingestDone = true;
    });
    // Sensors 1 and 3 from second 10 on (a reading's value is its second).
    const std::string filtered =
        "/v1.1/Observations?$top=5&$filter=Datastream/@iot.id%20ne%202%20and%20result%20ge%2010";
    int pages = 0;
    const std::vector<std::string> seen = walk(service, filtered, [&](const std::string&) {
        const int written = std::min(++pages, 20);
        eventually([&] { return insertedSeconds >= written || ingestDone; });
    });
    stop = true;
    ingest.join();

    std::set<std::string> distinct;
    for (std::size_t at = 0; at < seen.size(); ++at) {
        ASSERT_TRUE(distinct.insert(seen[at]).second) << seen[at] << " came twice";
        ASSERT_NE(key(seen[at]).second, 2) << seen[at] << " does not match";
        ASSERT_GE(key(seen[at]).first, kStart + 10 * kSecond) << seen[at] << " does not match";
        if (at > 0) {
            ASSERT_LT(key(seen[at - 1]), key(seen[at])) << "out of order at " << at;
        }
    }
    for (int second = 10; second < 40; ++second) {
        EXPECT_TRUE(distinct.count(id(1, second))) << id(1, second) << " was never visited";
        EXPECT_TRUE(distinct.count(id(3, second))) << id(3, second) << " was never visited";
    }
    EXPECT_GT(distinct.size(), 60u) << "the walk saw none of the readings written while it ran";
    const std::vector<std::string> after = walk(service, filtered);
    EXPECT_EQ(after.size(), 2u * static_cast<std::size_t>(30 + insertedSeconds));
}

TEST_P(ObservationPaging, ADatastreamsObservationsPageByTime) {
    insertSeconds(0, 25);
    ApiService service(_store->writeConfiguration());
    const std::vector<std::string> seen = walk(service, "/v1.1/Datastreams(2)/Observations?$top=4");
    ASSERT_EQ(seen.size(), 25u);
    for (int second = 0; second < 25; ++second)
        EXPECT_EQ(seen[static_cast<std::size_t>(second)], id(2, second));
}

TEST_P(ObservationPaging, TopDefaultsTo100AndStopsAt10000) {
    if (_store->mariadb())
        _store->execute(
            "INSERT INTO readings (sensor_id, time, value, quality) SELECT 1, '2025-11-24 16:00:00' + "
            "INTERVAL seq "
            "SECOND, seq, 0 FROM seq_1_to_10050;");
    else
        _store->execute(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10050) "
            "INSERT INTO readings (sensor_id, time, value, quality) SELECT 1, " +
            std::to_string(kStart) + " + i * 1000000, i, 0 FROM n;");
    ApiService service(_store->writeConfiguration());
    const ApiAnswer byDefault = service.get("/v1.1/Observations");
    ASSERT_EQ(byDefault.status, 200) << byDefault.body;
    EXPECT_EQ(byDefault.json->getArray("value")->size(), 100u);
    EXPECT_NE(byDefault.json->getValue<std::string>("@iot.nextLink").find("$top=100&"), std::string::npos);

    const ApiAnswer most = service.get("/v1.1/Datastreams(1)/Observations?$top=20000");
    ASSERT_EQ(most.status, 200) << most.body.substr(0, 200);
    const auto values = most.json->getArray("value");
    ASSERT_EQ(values->size(), 10000u);
    EXPECT_EQ(values->getObject(9999)->getValue<std::string>("@iot.id"),
              observationId(1, kStart + 10000 * kSecond));
    const ApiAnswer rest = service.get(most.json->getValue<std::string>("@iot.nextLink"));
    EXPECT_EQ(rest.json->getArray("value")->size(), 50u);
    EXPECT_FALSE(rest.json->has("@iot.nextLink"));
}

INSTANTIATE_TEST_SUITE_P(Stores, ObservationPaging, ::testing::Values("sqlite", "mysql"),
                         [](const auto& info) { return info.param == "mysql" ? "MariaDb" : "Sqlite"; });

}  // namespace
}  // namespace citysense
