// citysense-api over a SQLite store and over a real MariaDB: the SensorThings entities, their links
// and navigation, the errors of missing entities and malformed paths, $top, /health and /metrics; every test
// ends with a SIGTERM the service must exit 0 on.
#include "ApiTestStore.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace citysense {
namespace {

using namespace test;
using ::testing::HasSubstr;

constexpr Micros kTime = 1764000000123456;  // 2025-11-24 16:00:00.123456 UTC

class SensingApi : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        _store = std::make_unique<ApiTestStore>(GetParam());
        // Thing 1 has a position, Thing 2 none. Datastreams 1 and 2 share the driver instance
        // driver.street of station 1 (so Sensor 1); Datastream 3 is Sensor 3.
        _store->execute(
            "INSERT INTO stations (id, system, city, street, latitude, longitude) VALUES "
            "(1, 'hypo_city', 'city_01', 'street_01', 52.52, 13.405), (2, 'hypo_city', 'city_01', "
            "'street_02', "
            "NULL, NULL);"
            "INSERT INTO sensors (id, station_id, quantity, unit, driver) VALUES "
            "(1, 1, 'no2', 'ppb', 'driver.street'), (2, 1, 'temperature', 'Cel', 'driver.street'), "
            "(3, 2, 'so2', 'ppb', 'driver.air');"
            "INSERT INTO readings (sensor_id, time, value, quality) VALUES "
            "(1, " +
            _store->timeLiteral(kTime) + ", 21.5, 0), (1, " + _store->timeLiteral(kTime + 1000000) +
            ", 0.1, 9), (2, " + _store->timeLiteral(kTime) + ", -3.25, 0);");
        _service = std::make_unique<ApiService>(_store->writeConfiguration());
    }

    /// GETs `target`, which must answer `status` with a JSON object.
    Poco::JSON::Object::Ptr json(const std::string& target, int status = 200) const {
        return _service->json(target, status);
    }

    /// The `value` array of a collection.
    Poco::JSON::Array::Ptr values(const std::string& target) const { return json(target)->getArray("value"); }

    std::string root() const { return "http://127.0.0.1:" + std::to_string(_service->port()) + "/v1.1"; }

    std::unique_ptr<ApiTestStore> _store;
    std::unique_ptr<ApiService> _service;
};

std::vector<std::string> ids(const Poco::JSON::Array::Ptr& values) {
    std::vector<std::string> result;
    for (std::size_t at = 0; at < values->size(); ++at)
        result.push_back(values->getObject(static_cast<unsigned>(at))->get("@iot.id").toString());
    return result;
}

TEST_P(SensingApi, ListsThingsWithTheirLinks) {
    const auto things = values("/v1.1/Things");
    ASSERT_EQ(ids(things), (std::vector<std::string>{"1", "2"}));
    const auto thing = things->getObject(0);
    EXPECT_EQ(thing->getValue<std::string>("name"), "hypo_city/city_01/street_01");
    EXPECT_EQ(thing->getValue<std::string>("@iot.selfLink"), root() + "/Things(1)");
    EXPECT_EQ(thing->getObject("properties")->getValue<std::string>("street"), "street_01");
    EXPECT_EQ(thing->getValue<std::string>("Datastreams@iot.navigationLink"),
              root() + "/Things(1)/Datastreams");
    EXPECT_EQ(thing->getValue<std::string>("Locations@iot.navigationLink"), root() + "/Things(1)/Locations");
    EXPECT_FALSE(json("/v1.1/Things")->has("@iot.nextLink"));
    EXPECT_EQ(json("/v1.1/Things(2)")->getValue<std::string>("name"), "hypo_city/city_01/street_02");
}

TEST_P(SensingApi, AStationWithAPositionHasAGeoJsonLocation) {
    const auto locations = values("/v1.1/Things(1)/Locations");
    ASSERT_EQ(locations->size(), 1u);
    const auto location = locations->getObject(0);
    EXPECT_EQ(location->getValue<std::string>("encodingType"), "application/geo+json");
    const auto point = location->getObject("location");
    EXPECT_EQ(point->getValue<std::string>("type"), "Point");
    EXPECT_EQ(point->getArray("coordinates")->getElement<double>(0), 13.405);  // longitude first
    EXPECT_EQ(point->getArray("coordinates")->getElement<double>(1), 52.52);
    EXPECT_EQ(values("/v1.1/Things(2)/Locations")->size(), 0u);
    EXPECT_EQ(ids(values("/v1.1/Locations")), (std::vector<std::string>{"1"}));
    EXPECT_EQ(ids(values("/v1.1/Locations(1)/Things")), (std::vector<std::string>{"1"}));
    json("/v1.1/Locations(2)", 404);
}

TEST_P(SensingApi, DatastreamsCarryTheirUnitAndLeadToThingSensorAndObservedProperty) {
    EXPECT_EQ(ids(values("/v1.1/Datastreams")), (std::vector<std::string>{"1", "2", "3"}));
    EXPECT_EQ(ids(values("/v1.1/Things(1)/Datastreams")), (std::vector<std::string>{"1", "2"}));
    const auto datastream = json("/v1.1/Datastreams(2)");
    EXPECT_EQ(datastream->getObject("unitOfMeasurement")->getValue<std::string>("symbol"), "Cel");
    EXPECT_EQ(datastream->getValue<std::string>("observationType"),
              "http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement");
    EXPECT_EQ(datastream->getValue<std::string>("Observations@iot.navigationLink"),
              root() + "/Datastreams(2)/Observations");
    EXPECT_EQ(json("/v1.1/Datastreams(3)/Thing")->getValue<int>("@iot.id"), 2);
    // Both channels of driver.street at station 1 are one Sensor, with the lowest of their ids.
    EXPECT_EQ(json("/v1.1/Datastreams(2)/Sensor")->getValue<int>("@iot.id"), 1);
    EXPECT_EQ(ids(values("/v1.1/Sensors")), (std::vector<std::string>{"1", "3"}));
    EXPECT_EQ(ids(values("/v1.1/Sensors(1)/Datastreams")), (std::vector<std::string>{"1", "2"}));
    EXPECT_EQ(json("/v1.1/Sensors(3)")->getValue<std::string>("metadata"), "driver.air");
    // ObservedProperties are the quantity table's rows: no2 is its 8th.
    const auto property = json("/v1.1/Datastreams(1)/ObservedProperty");
    EXPECT_EQ(property->getValue<int>("@iot.id"), 8);
    EXPECT_EQ(property->getValue<std::string>("name"), "no2");
    EXPECT_EQ(ids(values("/v1.1/ObservedProperties")), (std::vector<std::string>{"1", "8", "9"}));
    EXPECT_EQ(ids(values("/v1.1/ObservedProperties(8)/Datastreams")), (std::vector<std::string>{"1"}));
    EXPECT_EQ(json("/v1.1/Datastreams(1)/Thing/Locations")->getArray("value")->size(), 1u);
}

TEST_P(SensingApi, ObservationsCarryTimesResultAndQuality) {
    const auto observations = values("/v1.1/Datastreams(1)/Observations");
    ASSERT_EQ(ids(observations), (std::vector<std::string>{"1-1764000000123456", "1-1764000001123456"}));
    const auto second = observations->getObject(1);
    EXPECT_EQ(second->getValue<std::string>("phenomenonTime"), "2025-11-24T16:00:01.123456Z");
    EXPECT_EQ(second->getValue<std::string>("resultTime"), "2025-11-24T16:00:01.123456Z");
    EXPECT_EQ(second->getValue<double>("result"), 0.1);
    const auto quality = second->getArray("resultQuality");
    ASSERT_EQ(quality->size(), 2u);
    EXPECT_EQ(quality->getElement<std::string>(0), "out_of_range");
    EXPECT_EQ(quality->getElement<std::string>(1), "simulated");
    EXPECT_EQ(second->getValue<std::string>("@iot.selfLink"), root() + "/Observations('1-1764000001123456')");

    const auto single = json("/v1.1/Observations('2-1764000000123456')");
    EXPECT_EQ(single->getValue<double>("result"), -3.25);
    EXPECT_EQ(single->getArray("resultQuality")->getElement<std::string>(0), "ok");
    EXPECT_EQ(json("/v1.1/Observations('2-1764000000123456')/Datastream")->getValue<int>("@iot.id"), 2);
    // All readings: by time, then by sensor.
    EXPECT_EQ(ids(values("/v1.1/Observations")),
              (std::vector<std::string>{"1-1764000000123456", "2-1764000000123456", "1-1764000001123456"}));
}

TEST_P(SensingApi, MissingEntitiesAre404AndMalformedPathsAndIds400) {
    for (const char* missing :
         {"/v1.1/Things(99)", "/v1.1/Things(99)/Datastreams", "/v1.1/Datastreams(99)/Thing",
          "/v1.1/Datastreams(99)/Observations", "/v1.1/Observations('9-5')/Datastream/Observations",
          "/v1.1/Observations('1-5')", "/v1.1/ObservedProperties(2)", "/v1.1/Sensors(2)", "/v1.1/Foxes",
          "/v1.1/Things(1)/Foxes", "/v1.0/Things", "/"}) {
        const auto error = json(missing, 404);
        EXPECT_EQ(error->getValue<int>("code"), 404);
        EXPECT_EQ(error->getValue<std::string>("type"), "error");
    }
    for (const char* malformed :
         {"/v1.1/Things(x)", "/v1.1/Things(1", "/v1.1/Things()", "/v1.1/Things(-1)", "/v1.1/Observations(1)",
          "/v1.1/Observations('1')", "/v1.1/Things/Datastreams", "/v1.1/Things(1)/Datastreams(1)",
          "/v1.1/Things(1);DROP%20TABLE%20readings", "/v1.1/Things(1%27%20OR%20%271%27=%271)",
          "/v1.1/Things?$filter=id%20eq%201", "/v1.1/Things?$top=-1", "/v1.1/Things?$top=1&$top=2",
          "/v1.1/Things?$skiptoken=1%20OR%201=1", "/v1.1/Observations?$skiptoken=x"}) {
        const auto error = json(malformed, 400);
        EXPECT_EQ(error->getValue<int>("code"), 400);
        EXPECT_FALSE(error->getValue<std::string>("message").empty());
    }
    EXPECT_THAT(json("/v1.1/Things?$filter=id%20eq%201", 400)->getValue<std::string>("message"),
                HasSubstr("$filter"));
    EXPECT_EQ(ids(values("/v1.1/Things")).size(), 2u) << "the store is as it was";
}

TEST_P(SensingApi, AnEntityWithoutRelatedRowsHasAnEmptyPage) {
    // Datastream 3 has no readings, Thing 2 no position: their pages are empty, not 404s.
    EXPECT_EQ(values("/v1.1/Datastreams(3)/Observations")->size(), 0u);
    EXPECT_EQ(values("/v1.1/Things(2)/Locations")->size(), 0u);
    EXPECT_EQ(values("/v1.1/Observations('1-1764000000123456')/Datastream/Observations")->size(), 2u);
}

TEST_P(SensingApi, ARequestWithoutHostIsAnsweredWithLinksToWhereTheServiceListens) {
    // HTTP/1.0 has no Host header; links then start with the listening address.
    Poco::Net::StreamSocket socket(Poco::Net::SocketAddress("127.0.0.1", _service->port()));
    const std::string request = "GET /v1.1/Things(1) HTTP/1.0\r\n\r\n";
    socket.sendBytes(request.data(), static_cast<int>(request.size()));
    std::string answer;
    char buffer[4096];
    for (int read; (read = socket.receiveBytes(buffer, sizeof buffer)) > 0;)
        answer.append(buffer, static_cast<std::size_t>(read));
    ASSERT_THAT(answer, ::testing::StartsWith("HTTP/1.0 200"));
    const auto body = answer.find("\r\n\r\n");
    ASSERT_NE(body, std::string::npos);
    const auto thing = Poco::JSON::Parser().parse(answer.substr(body + 4)).extract<Poco::JSON::Object::Ptr>();
    EXPECT_EQ(thing->getValue<std::string>("@iot.selfLink"), root() + "/Things(1)");
}

TEST_P(SensingApi, TopTakesThatManyAndLinksTheNextPage) {
    const auto first = json("/v1.1/Datastreams?$top=2");
    EXPECT_EQ(ids(first->getArray("value")), (std::vector<std::string>{"1", "2"}));
    ASSERT_TRUE(first->has("@iot.nextLink"));
    const auto second = json(first->getValue<std::string>("@iot.nextLink"));
    EXPECT_EQ(ids(second->getArray("value")), (std::vector<std::string>{"3"}));
    EXPECT_FALSE(second->has("@iot.nextLink"));
    EXPECT_EQ(values("/v1.1/Things?$top=0")->size(), 0u);
}

TEST_P(SensingApi, HealthSaysTheStoreAnswersAndMetricsCountRequestsByStatus) {
    json("/v1.1/Things");
    json("/v1.1/Things(99)", 404);
    const auto health = json("/health");
    EXPECT_EQ(health->getValue<std::string>("status"), "ok");
    EXPECT_TRUE(health->getObject("store")->getValue<bool>("reachable"));
    EXPECT_GE(health->getValue<int>("requests"), 2);
    const ApiAnswer metrics = _service->get("/metrics");
    EXPECT_EQ(metrics.status, 200);
    EXPECT_THAT(metrics.body, HasSubstr("citysense_api_requests_total{code=\"200\"} "));
    EXPECT_THAT(metrics.body, HasSubstr("citysense_api_requests_total{code=\"404\"} 1\n"));
    EXPECT_THAT(metrics.body, HasSubstr("citysense_api_request_duration_seconds_count "));
    EXPECT_THAT(metrics.body, HasSubstr("citysense_api_refused_connections_total 0\n"));
}

INSTANTIATE_TEST_SUITE_P(Stores, SensingApi, ::testing::Values("sqlite", "mysql"),
                         [](const auto& info) { return info.param == "mysql" ? "MariaDb" : "Sqlite"; });

}  // namespace
}  // namespace citysense
