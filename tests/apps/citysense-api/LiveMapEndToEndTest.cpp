// The live map end to end, every part real and on loopback ports of its own: Mosquitto (TLS,
// passwords, ACL), a gateway (citysensed: a simulated NO2 driver, the mqtt sink as the gateway's
// identity), an ingest (citysensed: mqtt_source into the sql sink, SQLite) and citysense-api over
// that store with [live] subscribed to the broker as the `api` identity; web/live-map.test.js then
// drives the page in Debian's headless chromium: a key's page recolours the station within 2 s of the
// broker delivering the gateway's first reading in another band, revoking the key ends its stream,
// the page without a key shows nothing younger than the embargo, and no page logs an error.
//
// The gateway changes band the way an operator changes a gateway: a conf.d fragment with the driver's
// new mean, then SIGHUP (live-map.test.js does both). So the reading that recolours the map is one the
// real gateway measured and published; the reload's own time is not measured: the 2 s run from the
// broker's delivery, as a subscriber of the test's own (mosquitto_sub -F %U) timestamps it.
// The screenshots stay in the build tree (tests/apps/citysense-api/web/artifacts/live-end-to-end/).
#include "ApiTestStore.h"
#include "Broker.h"
#include "Programs.h"
#include "airquality/Concentration.h"
#include "airquality/Eaqi.h"

#include <citysense/Format.h>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <iostream>

namespace citysense {
namespace {

using namespace test;
using airquality::Band;
using Poco::JSON::Array;
using Poco::JSON::Object;

constexpr Micros kMinute = 60 * kMicrosPerSecond;
constexpr Micros kHour = 60 * kMinute;
constexpr const char* kStaleColour = "#9E9E9E";
constexpr const char* kStation = "hypo_city/city_01/street_01";
constexpr const char* kNo2Topic = "hypo_city/city_01/street_01/air_pollution/no2_level";

const std::string kWebTests = CITYSENSE_BINARY_DIR "/tests/apps/citysense-api/web";

/// A constant NO2 level of the gateway's simulated driver (ppb) and the band it must colour.
struct Level {
    const char* name;
    double ppb;
    Band band;
};

constexpr Level kGood{"good", 2.625, Band::Good};               // 5.0 µg/m³
constexpr Level kPoor{"poor", 45.375, Band::Poor};              // 86.8 µg/m³
constexpr Level kVeryPoor{"veryPoor", 66.875, Band::VeryPoor};  // 127.9 µg/m³
constexpr double kOldPpb = 7.5;                                 // seeded, older than the embargo

/// The band the service gives `ppb` of NO2.
Band bandOf(double ppb) {
    return *airquality::pollutantBand(Quantity::NO2,
                                      ppb * *airquality::microgramsPerCubicMetrePerPpb(Quantity::NO2));
}

class LiveMapEndToEnd : public ::testing::Test {
protected:
    Broker _broker;
    BrokerCredentials _gateway = _broker.addGateway("hypo_city", "city_01", "street_01");
    BrokerCredentials _ingest = _broker.addSubscriber("ingest_1", "hypo_city/#");
    BrokerCredentials _api = _broker.addSubscriber("api", "hypo_city/#");
    BrokerCredentials _witness = _broker.addSubscriber("witness", "hypo_city/#");
    ApiTestStore _store{"sqlite"};
    std::string _gatewayDirectory = _broker.directory() + "/gateway";

    std::string write(const std::string& path, const std::string& text) const {
        std::ofstream(path) << text;
        return path;
    }

    /// The gateway, at a position it announces: NO2 at kGood every 500 ms, published at QoS 1. Its
    /// conf.d/ (empty) is where live-map.test.js puts the fragment that changes the level.
    std::string gatewayConfig() const {
        std::filesystem::create_directories(_gatewayDirectory + "/conf.d");
        return write(_gatewayDirectory + "/gateway.ini",
                     "[host]\nsystem = hypo_city\ncity = city_01\nstreet = street_01\n"
                     "latitude = 52.52\nlongitude = 13.405\nspool_dir = " +
                         _gatewayDirectory + "/spool\nhttp_listen = off\n" +
                         "[driver.no2]\nplugin = simulated\ninterval = 500ms\nquantities = no2\nmean = " +
                         formatNumber(kGood.ppb) + "\nstddev = 0\n[sink.broker]\nplugin = mqtt\n" +
                         _broker.clientKeys(_gateway) +
                         "qos = 1\nmax_backoff = 500ms\n[pipeline.main]\ndrivers = no2\nsinks = broker\n");
    }

    std::string ingestConfig() const {
        return write(_broker.directory() + "/ingest.ini",
                     "[host]\nsystem = hypo_city\ncity = server\nstreet = ingest_1\nspool_dir = " +
                         _broker.directory() + "/spool-ingest\nhttp_listen = off\n" +
                         "[driver.ingest]\nplugin = mqtt_source\n" + _broker.clientKeys(_ingest) +
                         "qos = 1\ninterval = 500ms\n" +
                         "[sink.db]\nplugin = sql\nconnector = sqlite\nconnection = " + _store.sqliteFile() +
                         "\nmax_backoff = 500ms\n[pipeline.ingest]\ndrivers = ingest\nsinks = db\n");
    }

    /// citysense-api: the map from the source tree without tiles, an embargo of an hour, a keys file,
    /// and [live] as the `api` identity.
    std::string apiConfig() const {
        const std::string path = _store.writeConfiguration(
            "keys_file = " + (_store.directory() / "keys.json").string() +
            "\nembargo = 1h\nweb_dir = " CITYSENSE_SOURCE_DIR "/apps/citysense-api/web\nmap_tiles =\n");
        std::ofstream(path, std::ios::app)
            << "[live]\nenabled = true\n"
            << _broker.clientKeys(_api) << "topics = hypo_city/+/+/+/+\ndriver = driver.ingest\n";
        return path;
    }

    /// The rows of `sql` on the store, tab-separated.
    std::string storeQuery(const std::string& sql) const {
        return runProgram({"sqlite3", "-batch", "-separator", "\t", "-cmd", ".timeout 10000",
                           _store.sqliteFile(), sql})
            .output;
    }

    /// `keys add NAME --scopes live:read`: the key printed.
    static std::string addKey(const std::string& configuration, const std::string& name) {
        const CommandResult added = runProgram({CITYSENSE_BINARY_DIR "/bin/citysense-api", "-c",
                                                configuration, "keys", "add", name, "--scopes", "live:read"});
        EXPECT_EQ(added.status, 0) << added.output;
        const auto start = added.output.find("csk_");
        return start == std::string::npos ? "" : added.output.substr(start, 47);
    }

    static Object::Ptr level(const Level& level) {
        Object::Ptr object = new Object;
        object->set("ppb", level.ppb);
        object->set("colour", airquality::bandColour(level.band));
        object->set("name", airquality::bandName(level.band));
        return object;
    }

    static void stop(ServiceProcess& process) {
        process.signal(SIGTERM);
        EXPECT_EQ(process.waitAtMost(std::chrono::seconds(60)), 0) << process.log();
    }
};

TEST_F(LiveMapEndToEnd, AKeysPageRecoloursWithinTwoSecondsStopsWhenRevokedAndNoKeySeesOnlyTheEmbargoed) {
    for (const Level& each : {kGood, kPoor, kVeryPoor})
        ASSERT_EQ(bandOf(each.ppb), each.band) << each.name << ": " << each.ppb << " ppb";

    ServiceProcess ingest({"-c", ingestConfig()});
    ASSERT_TRUE(ingest.waitForLog("subscribed at")) << ingest.log();
    ServiceProcess gateway({"-c", gatewayConfig()});
    // The ingest has stored the gateway's station, its announced position and its first readings.
    std::string sensor;
    ASSERT_TRUE(eventually([&] {
        sensor = storeQuery(
            "SELECT se.id FROM sensors se JOIN stations st ON st.id = se.station_id WHERE se.quantity = "
            "'no2' AND st.street = 'street_01' AND st.latitude IS NOT NULL AND EXISTS (SELECT 1 FROM "
            "readings r WHERE r.sensor_id = se.id);");
        return !sensor.empty() && sensor.find_first_not_of("0123456789\n") == std::string::npos;
    })) << sensor
        << ingest.log() << gateway.log();
    sensor.pop_back();
    // Three hours of older readings, the last 65 minutes ago: all a page without a key may see.
    const Micros now = nowMicros() / kMicrosPerSecond * kMicrosPerSecond;
    std::string seed = "INSERT INTO readings (sensor_id, time, value, quality) VALUES ";
    for (Micros ago = 3 * kHour; ago >= 65 * kMinute; ago -= 5 * kMinute)
        seed += (ago == 3 * kHour ? "(" : ", (") + sensor + ", " + std::to_string(now - ago) + ", " +
                formatNumber(kOldPpb) + ", 0)";
    _store.execute(seed + ";");

    const std::string configuration = apiConfig();
    const std::string viewerKey = addKey(configuration, "viewer");
    const std::string witnessKey = addKey(configuration, "witness");
    ApiService api(configuration);
    ASSERT_TRUE(api.process().waitForLog("live stream: subscribed")) << api.process().log();

    Object::Ptr expected = new Object;
    expected->set("station", kStation);
    Object::Ptr keys = new Object;
    keys->set("viewer", viewerKey);
    keys->set("witness", witnessKey);
    expected->set("keys", keys);
    Object::Ptr levels = new Object;
    for (const Level& each : {kGood, kPoor, kVeryPoor})
        levels->set(each.name, level(each));
    expected->set("levels", levels);
    expected->set("staleColour", kStaleColour);
    expected->set("oldText", formatNumber(kOldPpb) + " ppb");
    expected->set("embargoSeconds", 3600);
    expected->set("latencyLimitMs", 2000);
    Object::Ptr gatewayControl = new Object;
    gatewayControl->set("pid", static_cast<int>(gateway.pid()));
    gatewayControl->set("fragment", _gatewayDirectory + "/conf.d/50-level.ini");
    expected->set("gateway", gatewayControl);
    Array::Ptr witness = new Array;
    for (const std::string& word :
         {std::string("mosquitto_sub"), std::string("-h"), std::string("127.0.0.1"), std::string("-p"),
          std::to_string(_broker.tlsPort()), std::string("--cafile"), _broker.caFile(), std::string("-u"),
          _witness.username, std::string("-P"), _witness.password, std::string("-q"), std::string("1"),
          std::string("-t"), std::string(kNo2Topic), std::string("-F"), std::string("%U %p")})
        witness->add(word);
    expected->set("witness", witness);
    Array::Ptr revoke = new Array;
    for (const std::string& word :
         {std::string(CITYSENSE_BINARY_DIR "/bin/citysense-api"), std::string("-c"), configuration,
          std::string("keys"), std::string("revoke"), std::string("viewer")})
        revoke->add(word);
    expected->set("revoke", revoke);
    const std::string expectations = (_store.directory() / "expected.json").string();
    std::ofstream file(expectations);
    expected->stringify(file);
    file.close();

    // Not runProgram: with three pages and two reloads on a loaded machine this may take over its minute.
    const std::string output = (_store.directory() / "browser.log").string();
    const pid_t browser = startProgram(
        {"node", kWebTests + "/live-map.test.js", "http://127.0.0.1:" + std::to_string(api.port()) + "/map/",
         expectations, kWebTests + "/artifacts/live-end-to-end"},
        output);
    const int status = waitForExit(browser);
    std::cout << readFile(output);
    EXPECT_EQ(status, 0) << "live-map.test.js failed: its output is above\n"
                         << api.process().log() << gateway.log() << ingest.log();
    EXPECT_TRUE(std::filesystem::exists(kWebTests + "/artifacts/live-end-to-end/map-live.png"));

    stop(gateway);
    stop(ingest);
}

}  // namespace
}  // namespace citysense
