// The live map in a real headless Chromium: citysense-api of this build over a seeded SQLite store, the
// page from the source tree without tiles (an air-gapped server), and web/map.test.js driving
// Debian's chromium through puppeteer-core (installed into the build tree by npm ci, the fixture
// citysense_web_modules). What each station must look like is written here, from the seeded readings
// and the service's own palette; the screenshots stay in the build tree
// (tests/apps/citysense-api/web/artifacts/).
#include "ApiTestStore.h"
#include "Programs.h"
#include "airquality/Eaqi.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <gtest/gtest.h>

#include <fstream>

namespace citysense {
namespace {

using namespace test;
using Poco::JSON::Array;
using Poco::JSON::Object;

constexpr Micros kSecond = 1000000;
constexpr Micros kMinute = 60 * kSecond;
constexpr Micros kHour = 60 * kMinute;
constexpr const char* kStaleColour = "#9E9E9E";
constexpr const char* kNoIndexColour = "#FFFFFF";

const std::string kWebTests = CITYSENSE_BINARY_DIR "/tests/apps/citysense-api/web";

class MapBrowser : public ::testing::Test {
protected:
    void SetUp() override {
        _store = std::make_unique<ApiTestStore>("sqlite");
        _now = nowMicros() / kSecond * kSecond;
        _expected = new Object;
        _expected->set("stations", _stations);
    }

    void addStation(int id, const std::string& street, double latitude, double longitude) {
        _store->execute("INSERT INTO stations (id, system, city, street, latitude, longitude) VALUES (" +
                        std::to_string(id) + ", 'hypo_city', 'city_01', '" + street + "', " +
                        std::to_string(latitude) + ", " + std::to_string(longitude) + ");");
    }

    void addSensor(int id, int station, const std::string& quantity, const std::string& unit) {
        _store->execute("INSERT INTO sensors (id, station_id, quantity, unit, driver) VALUES (" +
                        std::to_string(id) + ", " + std::to_string(station) + ", '" + quantity + "', '" +
                        unit + "', 'driver.air');");
    }

    /// Readings of `value` every 5 minutes from `from` to `to` ago (`to` included).
    void addReadings(int sensor, Micros from, Micros to, double value) {
        std::string sql = "INSERT INTO readings (sensor_id, time, value, quality) VALUES ";
        for (Micros ago = from; ago >= to; ago -= 5 * kMinute)
            sql += (ago == from ? "(" : ", (") + std::to_string(sensor) + ", " +
                   _store->timeLiteral(_now - ago) + ", " + std::to_string(value) + ", 0)";
        _store->execute(sql + ";");
    }

    /// What the page must show for a station: its colour and state, the incomplete mark.
    void expectStation(const std::string& street, double latitude, double longitude,
                       const std::string& colour, const std::string& state, bool incomplete) {
        Object::Ptr station = new Object;
        station->set("station", "hypo_city/city_01/" + street);
        station->set("latitude", latitude);
        station->set("longitude", longitude);
        station->set("colour", colour);
        station->set("state", state);
        station->set("incomplete", incomplete);
        _stations->add(station);
    }

    /// Runs map.test.js on the page of a service started with `access` in [api] (without tiles, unless
    /// it sets map_tiles).
    void runBrowser(const std::string& scenario, std::string access) {
        _expected->set("scenario", scenario);
        Array::Ptr legend = new Array;
        for (int band = 1; band <= 6; ++band) {
            Object::Ptr entry = new Object;
            entry->set("name", airquality::bandName(static_cast<airquality::Band>(band)));
            entry->set("colour", airquality::bandColour(static_cast<airquality::Band>(band)));
            legend->add(entry);
        }
        _expected->set("legend", legend);
        if (access.find("map_tiles =") == std::string::npos)
            access += "map_tiles =\n";
        const std::string expectations = (_store->directory() / "expected.json").string();
        std::ofstream file(expectations);
        _expected->stringify(file);
        file.close();
        ApiService service(_store->writeConfiguration(
            "web_dir = " CITYSENSE_SOURCE_DIR "/apps/citysense-api/web\n" + access));
        const CommandResult result =
            runProgram({"node", kWebTests + "/map.test.js",
                        "http://127.0.0.1:" + std::to_string(service.port()) + "/map/", expectations,
                        kWebTests + "/artifacts/" + scenario});
        std::cout << result.output;
        EXPECT_EQ(result.status, 0) << "map.test.js failed: its output is above";
    }

    std::unique_ptr<ApiTestStore> _store;
    Micros _now = 0;
    Object::Ptr _expected;
    Array::Ptr _stations = new Array;
};

TEST_F(MapBrowser, ShowsEveryStationAtItsPlaceInItsBandGreyWhenStaleWithALegendAndKeyboardPopups) {
    addStation(1, "good", 52.52, 13.38);
    addSensor(1, 1, "no2", "ppb");
    addSensor(2, 1, "temperature", "Cel");
    addReadings(1, 25 * kHour, 30 * kSecond, 3);  // 5.7 µg/m³: Good
    addReadings(2, 25 * kHour, 30 * kSecond, 21.5);
    addStation(2, "poor", 52.50, 13.42);
    addSensor(3, 2, "no2", "ppb");
    addReadings(3, 3 * kHour, 30 * kSecond, 45);  // 86 µg/m³: Poor
    addStation(3, "stale", 52.48, 13.36);
    addSensor(4, 3, "no2", "ppb");
    addReadings(4, 8 * kHour, 5 * kHour, 45);
    addStation(4, "incomplete", 52.54, 13.44);
    addSensor(5, 4, "no2", "ppb");
    addSensor(6, 4, "so2", "ppb");
    addReadings(5, 3 * kHour, 30 * kSecond, 10);    // 19 µg/m³: Fair
    addReadings(6, 25 * kMinute, 30 * kSecond, 2);  // not enough of the last hour: incomplete
    addStation(5, "weather", 52.51, 13.30);
    addSensor(7, 5, "temperature", "Cel");
    addReadings(7, kHour, 30 * kSecond, 4.5);
    _store->execute(
        "INSERT INTO stations (id, system, city, street) VALUES (6, 'hypo_city', 'city_01', 'nowhere');");

    using airquality::Band;
    expectStation("good", 52.52, 13.38, airquality::bandColour(Band::Good), "band", false);
    expectStation("poor", 52.50, 13.42, airquality::bandColour(Band::Poor), "band", false);
    expectStation("stale", 52.48, 13.36, kStaleColour, "stale", false);
    expectStation("incomplete", 52.54, 13.44, airquality::bandColour(Band::Fair), "band", true);
    expectStation("weather", 52.51, 13.30, kNoIndexColour, "none", false);
    Object::Ptr popup = new Object;
    popup->set("station", "hypo_city/city_01/good");
    Array::Ptr values = new Array;
    for (const auto& [quantity, text] : {std::pair{"no2", "3 ppb"}, {"temperature", "21.5 Cel"}}) {
        Object::Ptr value = new Object;
        value->set("quantity", quantity);
        value->set("text", text);
        values->add(value);
    }
    popup->set("values", values);
    popup->set("charts", 2);
    _expected->set("popup", popup);
    runBrowser("snapshot", "");
    EXPECT_TRUE(std::filesystem::exists(kWebTests + "/artifacts/snapshot/map.png"));
}

TEST_F(MapBrowser, WithoutAKeyShowsNothingYoungerThanTheEmbargo) {
    addStation(1, "old-and-new", 52.50, 13.40);
    addSensor(1, 1, "no2", "ppb");
    addReadings(1, 3 * kHour, 65 * kMinute, 7.5);
    addReadings(1, 55 * kMinute, 30 * kSecond, 88.125);
    addStation(2, "young", 52.52, 13.42);
    addSensor(2, 2, "no2", "ppb");
    addReadings(2, 30 * kMinute, 30 * kSecond, 66.875);
    // Both stale: what an anonymous client sees ends an hour ago.
    expectStation("old-and-new", 52.50, 13.40, kStaleColour, "stale", false);
    expectStation("young", 52.52, 13.42, kStaleColour, "stale", false);
    Array::Ptr hidden = new Array;
    hidden->add("88.125");
    hidden->add("66.875");
    _expected->set("hidden", hidden);
    Array::Ptr shown = new Array;
    shown->add("7.5 ppb");
    _expected->set("shown", shown);
    runBrowser("embargo", "embargo = 1h\n");
}

TEST_F(MapBrowser, WithAKeyFollowsTheStreamRecolouringAStationAndForgetsTheKeyWhenItIsRefused) {
    addStation(1, "live", 52.50, 13.40);
    addSensor(1, 1, "no2", "ppb");
    addReadings(1, 3 * kHour, 30 * kSecond, 3);  // Good
    expectStation("live", 52.50, 13.40, airquality::bandColour(airquality::Band::Good), "band", false);
    const std::string keysFile = (_store->directory() / "keys.json").string();
    const std::string access = "keys_file = " + keysFile + "\n";
    const CommandResult added =
        runProgram({CITYSENSE_BINARY_DIR "/bin/citysense-api", "-c", _store->writeConfiguration(access),
                    "keys", "add", "map", "--scopes", "live:read"});
    ASSERT_EQ(added.status, 0) << added.output;
    const std::string key = added.output.substr(added.output.find("csk_"), 47);

    Object::Ptr data = new Object;
    data->set("Datastream@iot.id", 1);
    data->set("Thing@iot.id", 1);
    data->set("ObservedProperty", "no2");
    data->set("unit", "ppb");
    data->set("phenomenonTime", formatIsoTime(_now));
    data->set("result", 45.0);  // 86 µg/m³: Poor
    data->set("resultQuality", Array::Ptr(new Array));
    Object::Ptr reading = new Object;
    reading->set("id", _now + 1);
    reading->set("data", data);
    Object::Ptr live = new Object;
    live->set("key", key);
    live->set("station", "hypo_city/city_01/live");
    live->set("reading", reading);
    live->set("colourAfter", airquality::bandColour(airquality::Band::Poor));
    _expected->set("live", live);
    runBrowser("live", access);
}

TEST_F(MapBrowser, DrawsTheConfiguredTilesWithTheirAttributionAsPlainText) {
    addStation(1, "tiled", 52.50, 13.40);
    addSensor(1, 1, "no2", "ppb");
    addReadings(1, 3 * kHour, 30 * kSecond, 3);
    expectStation("tiled", 52.50, 13.40, airquality::bandColour(airquality::Band::Good), "band", false);
    // {a,b,c}.tiles.test answer through the browser's request interception (map.test.js).
    _expected->set("tileDomain", "tiles.test");
    _expected->set("attribution", "Tiles <b>of the test</b>");
    runBrowser("tiles",
               "map_tiles = https://{s}.tiles.test/{z}/{x}/{y}.png\n"
               "map_tiles_attribution = Tiles <b>of the test</b>\n");
}

}  // namespace
}  // namespace citysense
