// Announcements end to end, all real processes: a gateway (citysensed with a position, a simulated
// driver every second, mqtt sink) publishes its retained `…/about` document through Mosquitto; an ingest
// (citysensed, mqtt_source, sql sink) records it in the store; citysense-api then shows the announced
// position in Things(1)/Locations and says that Aggregates' expected count comes from the announced
// interval.
#include "ApiTestStore.h"
#include "Broker.h"
#include "ServiceProcess.h"

#include <citysense/Format.h>

#include <Poco/JSON/Array.h>

#include <gtest/gtest.h>

#include <csignal>
#include <fstream>

namespace citysense {
namespace {

using namespace test;

constexpr Micros kHour = 3600 * kMicrosPerSecond;

class AnnouncementEndToEnd : public ::testing::Test {
protected:
    Broker _broker;
    ApiTestStore _store{"sqlite"};
    BrokerCredentials _gateway = _broker.addGateway("hypo_city", "city_01", "street_01");
    BrokerCredentials _ingest = _broker.addSubscriber("ingest_1", "hypo_city/#");

    std::string write(const std::string& name, const std::string& text) const {
        const std::string path = _broker.directory() + "/" + name;
        std::ofstream(path) << text;
        return path;
    }

    std::string gatewayConfig() const {
        return write("gateway.ini",
                     "[host]\nsystem = hypo_city\ncity = city_01\nstreet = street_01\n"
                     "latitude = 52.52\nlongitude = 13.405\nspool_dir = " +
                         _broker.directory() + "/spool-gateway\nhttp_listen = off\n" +
                         "[driver.air]\nplugin = simulated\ninterval = 1s\nquantities = no2\n"
                         "[sink.broker]\nplugin = mqtt\n" +
                         _broker.clientKeys(_gateway) +
                         "max_backoff = 500ms\n[pipeline.main]\ndrivers = air\nsinks = broker\n");
    }

    std::string ingestConfig() const {
        return write("ingest.ini",
                     "[host]\nsystem = hypo_city\ncity = server\nstreet = ingest_1\nspool_dir = " +
                         _broker.directory() + "/spool-ingest\nhttp_listen = off\n" +
                         "[driver.ingest]\nplugin = mqtt_source\n" + _broker.clientKeys(_ingest) +
                         "[sink.db]\nplugin = sql\nconnector = sqlite\nconnection = " + _store.sqliteFile() +
                         "\nmax_backoff = 500ms\n[pipeline.ingest]\ndrivers = ingest\nsinks = db\n");
    }

    static void stop(ServiceProcess& process) {
        process.signal(SIGTERM);
        EXPECT_EQ(process.wait(), 0) << process.log();
    }
};

TEST_F(AnnouncementEndToEnd, TheApiShowsTheAnnouncedPositionAndInterval) {
    ServiceProcess ingest({"-c", ingestConfig()});
    ServiceProcess gateway({"-c", gatewayConfig()});
    ApiService api(_store.writeConfiguration());

    // The ingest records the announcement and the readings: the station gets its position.
    ASSERT_TRUE(eventually([&] {
        const auto answer = api.get("/v1.1/Things(1)/Locations");
        return answer.status == 200 && answer.json && answer.json->getArray("value")->size() == 1;
    })) << ingest.log()
        << gateway.log();
    const auto location = api.json("/v1.1/Things(1)/Locations")->getArray("value")->getObject(0);
    const auto coordinates = location->getObject("location")->getArray("coordinates");
    EXPECT_EQ(coordinates->getElement<double>(0), 13.405);  // longitude first
    EXPECT_EQ(coordinates->getElement<double>(1), 52.52);
    EXPECT_EQ(api.json("/v1.1/Things(1)")->getValue<std::string>("name"), "hypo_city/city_01/street_01");

    const auto datastreams = api.json("/v1.1/Things(1)/Datastreams")->getArray("value");
    ASSERT_EQ(datastreams->size(), 1u);
    const int id = datastreams->getObject(0)->getValue<int>("@iot.id");
    const Micros hour = nowMicros() / kHour * kHour;
    const auto aggregates = api.json("/v1.1/Datastreams(" + std::to_string(id) +
                                     ")/Aggregates?interval=1h&from=" + formatIsoTime(hour) +
                                     "&to=" + formatIsoTime(hour + kHour));
    EXPECT_EQ(aggregates->getValue<std::string>("interval_source"), "announced");
    EXPECT_EQ(aggregates->getValue<double>("sensor_interval_seconds"), 1);
    EXPECT_EQ(aggregates->getArray("value")->getObject(0)->getValue<double>("expected"), 3600);

    stop(gateway);
    stop(ingest);
}

}  // namespace
}  // namespace citysense
