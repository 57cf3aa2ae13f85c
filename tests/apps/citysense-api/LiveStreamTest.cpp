// The live stream (/v1.1/live) of the real citysense-api, fed by its own subscription to a real
// Mosquitto, over a SQLite store: readings published by a gateway arrive with their Datastream and
// Thing ids, also those of a sensor the store gets only after the reading; the filters; resuming
// with Last-Event-ID, with and without a gap; 401, 403 and station lists; the per-key stream limit;
// a slow consumer cut off and counted while a fast one keeps receiving; a revoked key's stream ending;
// the stream over HTTPS.
#include "ApiTestStore.h"
#include "Broker.h"
#include "LiveStreamClient.h"
#include "Programs.h"

#include <mqtt-client/Connection.h>

#include <Poco/JSON/Parser.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <thread>

namespace citysense {
namespace {

using namespace test;
using namespace std::chrono_literals;
using ::testing::HasSubstr;

constexpr const char* kNo2Topic = "hypo_city/city_01/street_01/air_pollution/no2_level";
constexpr const char* kSo2Topic = "hypo_city/city_01/street_01/air_pollution/so2_level";
constexpr const char* kOtherNo2Topic = "hypo_city/city_01/street_02/air_pollution/no2_level";

Poco::JSON::Object::Ptr parsed(const std::string& data) {
    return Poco::JSON::Parser().parse(data).extract<Poco::JSON::Object::Ptr>();
}

/// A gateway that publishes as gw_city_01_<street>.
class Gateway {
public:
    Gateway(Broker& broker, const std::string& street)
        : _client([&] {
              const BrokerCredentials credentials = broker.addGateway("hypo_city", "city_01", street);
              mqtt::ConnectionSettings settings;
              settings.uri = broker.tlsUri();
              settings.clientId = credentials.username;
              settings.username = credentials.username;
              settings.password = credentials.password;
              settings.caFile = broker.caFile();
              return settings;
          }()) {
        _client.connect();
    }
    ~Gateway() { _client.disconnect(1s); }

    void publish(const std::string& topic, const std::string& payload) {
        _client.paho().publish(topic, payload.data(), payload.size(), 1, false)->wait();
    }
    /// One reading in the prototype's tsv format.
    void reading(const std::string& topic, double value,
                 const std::string& time = "2026-12-06 10:00:00.123456") {
        publish(topic, time + "\t" + std::to_string(value));
    }

private:
    mqtt::Client _client;
};

class LiveStreamTest : public ::testing::Test {
protected:
    /// Starts the service with [live] enabled, and these lines added to [live] and [api].
    void start(const std::string& liveOptions = "", const std::string& apiOptions = "") {
        _store.execute(
            "INSERT INTO stations (id, system, city, street) VALUES (1, 'hypo_city', 'city_01', "
            "'street_01'), "
            "(2, 'hypo_city', 'city_01', 'street_02');"
            "INSERT INTO sensors (id, station_id, quantity, unit, driver) VALUES "
            "(3, 1, 'no2', 'ppb', 'driver.ingest'), (4, 1, 'so2', 'ppb', 'driver.ingest'), "
            "(5, 2, 'no2', 'ppb', 'driver.ingest');");
        const BrokerCredentials api = _broker.addSubscriber("api", "hypo_city/#");
        _configuration = _store.writeConfiguration(
            "keys_file = " + (_store.directory() / "keys.json").string() + "\n" + apiOptions);
        std::ofstream(_configuration, std::ios::app)
            << "[live]\nenabled = true\n"
            << _broker.clientKeys(api) << "topics = hypo_city/+/+/+/+\ndriver = driver.ingest\n"
            << liveOptions << "\n";
        _key = addKey("reader", {"--scopes", "live:read"});
        _service = std::make_unique<ApiService>(_configuration);
        ASSERT_TRUE(_service->process().waitForLog("live stream: subscribed")) << _service->process().log();
    }

    /// `keys add NAME ARGUMENTS...`: the key printed.
    std::string addKey(const std::string& name, std::vector<std::string> arguments) {
        arguments.insert(arguments.begin(), {CITYSENSE_BINARY_DIR "/bin/citysense-api", "-c", _configuration,
                                             "keys", "add", name});
        const CommandResult added = runProgram(arguments);
        EXPECT_EQ(added.status, 0) << added.output;
        const auto start = added.output.find("csk_");
        return start == std::string::npos ? "" : added.output.substr(start, 47);
    }

    std::unique_ptr<LiveStreamClient> stream(const std::string& target = "/v1.1/live",
                                             const std::string& key = "",
                                             std::map<std::string, std::string> headers = {}) {
        headers["Authorization"] = "Bearer " + (key.empty() ? _key : key);
        auto client = std::make_unique<LiveStreamClient>(_service->port(), target, headers);
        EXPECT_EQ(client->status(), 200) << client->body();
        return client;
    }

    /// The value of `name` in /metrics.
    std::string metric(const std::string& name) const {
        const std::string text = _service->get("/metrics").body;
        const auto at = text.find("\n" + name + " ");
        return at == std::string::npos
                   ? ""
                   : text.substr(at + name.size() + 2, text.find('\n', at + 1) - at - name.size() - 2);
    }

    Broker _broker;
    ApiTestStore _store{"sqlite"};
    std::string _configuration;
    std::string _key;
    std::unique_ptr<ApiService> _service;
};

TEST_F(LiveStreamTest, APublishedReadingArrivesWithItsDatastreamAndThing) {
    start();
    auto client = stream();
    Gateway gateway(_broker, "street_01");
    gateway.reading(kNo2Topic, 12.5);
    const auto event = client->nextEvent(5s);
    ASSERT_TRUE(event);
    EXPECT_EQ(event->type, "observation");
    EXPECT_FALSE(event->id.empty());
    EXPECT_EQ(event->data,
              R"({"Datastream@iot.id":3,"Thing@iot.id":1,"ObservedProperty":"no2","unit":"ppb",)"
              R"("phenomenonTime":"2026-12-06T10:00:00.123456Z","result":12.5,"resultQuality":["ok"]})");
    gateway.reading(kSo2Topic, 3);
    const auto second = client->nextEvent(5s);
    ASSERT_TRUE(second);
    EXPECT_GT(std::stoull(second->id), std::stoull(event->id));
    EXPECT_EQ(parsed(second->data)->getValue<int>("Datastream@iot.id"), 4);
    EXPECT_EQ(metric("citysense_api_live_streams"), "1");
}

TEST_F(LiveStreamTest, AReadingOfASensorTheStoreDoesNotHaveYetFollowsOnceItDoes) {
    start();
    auto client = stream();
    Gateway gateway(_broker, "street_03");
    gateway.reading("hypo_city/city_01/street_03/air_pollution/no2_level", 7);
    EXPECT_FALSE(client->nextEvent(1500ms)) << "nothing to say which Datastream it is yet";
    _store.execute(
        "INSERT INTO stations (id, system, city, street) VALUES (7, 'hypo_city', 'city_01', 'street_03');"
        "INSERT INTO sensors (id, station_id, quantity, unit, driver) VALUES (9, 7, 'no2', 'ppb', "
        "'driver.ingest');");
    const auto event = client->nextEvent(5s);
    ASSERT_TRUE(event);
    EXPECT_EQ(parsed(event->data)->getValue<int>("Datastream@iot.id"), 9);
    EXPECT_EQ(parsed(event->data)->getValue<int>("Thing@iot.id"), 7);
}

TEST_F(LiveStreamTest, FiltersByThingQuantityAndDatastream) {
    start();
    auto so2 = stream("/v1.1/live?quantities=so2");
    auto street2 = stream("/v1.1/live?things=2");
    auto datastream3 = stream("/v1.1/live?datastreams=3&quantities=no2,so2");
    Gateway one(_broker, "street_01");
    Gateway two(_broker, "street_02");
    one.reading(kNo2Topic, 1);
    one.reading(kSo2Topic, 2);
    two.reading(kOtherNo2Topic, 3);
    const auto first = so2->nextEvent(5s);
    ASSERT_TRUE(first);
    EXPECT_EQ(parsed(first->data)->getValue<int>("Datastream@iot.id"), 4);
    const auto second = street2->nextEvent(5s);
    ASSERT_TRUE(second);
    EXPECT_EQ(parsed(second->data)->getValue<int>("Datastream@iot.id"), 5);
    const auto third = datastream3->nextEvent(5s);
    ASSERT_TRUE(third);
    EXPECT_EQ(parsed(third->data)->getValue<int>("Datastream@iot.id"), 3);
    EXPECT_FALSE(so2->nextEvent(500ms));
    EXPECT_FALSE(street2->nextEvent(1ms));
    EXPECT_FALSE(datastream3->nextEvent(1ms));
    const auto refused = LiveStreamClient(_service->port(), "/v1.1/live?quantities=radon",
                                          {{"Authorization", "Bearer " + _key}});
    EXPECT_EQ(refused.status(), 400);
    EXPECT_THAT(refused.body(), HasSubstr("radon"));
}

TEST_F(LiveStreamTest, ResumesWithLastEventIdAndSaysWhenEventsAreGone) {
    start("window_events = 3");
    auto client = stream();
    Gateway gateway(_broker, "street_01");
    std::vector<std::string> ids;
    for (int reading = 1; reading <= 5; ++reading) {
        gateway.reading(kNo2Topic, reading);
        const auto event = client->nextEvent(5s);
        ASSERT_TRUE(event);
        ids.push_back(event->id);
    }
    auto resumed = stream("/v1.1/live", "", {{"Last-Event-ID", ids[2]}});
    for (const std::size_t expected : {3u, 4u}) {
        const auto event = resumed->nextEvent(5s);
        ASSERT_TRUE(event);
        EXPECT_EQ(event->type, "observation");
        EXPECT_EQ(event->id, ids[expected]);
    }
    auto late = stream("/v1.1/live", "", {{"Last-Event-ID", ids[0]}});
    const auto gap = late->nextEvent(5s);
    ASSERT_TRUE(gap);
    EXPECT_EQ(gap->type, "gap");
    EXPECT_EQ(parsed(gap->data)->getValue<std::string>("resumesAfter"),
              std::to_string(std::stoull(ids[2]) - 1));
    for (const std::size_t expected : {2u, 3u, 4u}) {
        const auto event = late->nextEvent(5s);
        ASSERT_TRUE(event);
        EXPECT_EQ(event->id, ids[expected]);
    }
    gateway.reading(kNo2Topic, 6);
    const auto live = late->nextEvent(5s);
    ASSERT_TRUE(live);
    EXPECT_EQ(std::stoull(live->id), std::stoull(ids[4]) + 1)
        << "nothing missed between the kept and the new";
}

TEST_F(LiveStreamTest, NeedsAKeyWithLiveReadAndKeepsToItsStations) {
    start();
    const LiveStreamClient anonymous(_service->port(), "/v1.1/live", {});
    EXPECT_EQ(anonymous.status(), 401);
    const std::string history = addKey("history", {"--scopes", "history:read"});
    const LiveStreamClient withoutScope(_service->port(), "/v1.1/live", {{"X-API-Key", history}});
    EXPECT_EQ(withoutScope.status(), 403);
    EXPECT_THAT(withoutScope.body(), HasSubstr("live:read"));
    const std::string street2Key =
        addKey("street2", {"--scopes", "live:read", "--stations", "hypo_city/city_01/street_02"});
    auto limited = stream("/v1.1/live", street2Key);
    Gateway one(_broker, "street_01");
    Gateway two(_broker, "street_02");
    one.reading(kNo2Topic, 1);
    two.reading(kOtherNo2Topic, 2);
    const auto event = limited->nextEvent(5s);
    ASSERT_TRUE(event);
    EXPECT_EQ(parsed(event->data)->getValue<int>("Thing@iot.id"), 2);
    EXPECT_FALSE(limited->nextEvent(500ms));
}

TEST_F(LiveStreamTest, LimitsTheStreamsOfAKey) {
    start("max_streams_per_key = 1");
    const std::string two = addKey("two", {"--scopes", "live:read", "--max-streams", "2"});
    auto first = stream("/v1.1/live", two);
    auto second = stream("/v1.1/live", two);
    auto third = std::make_unique<LiveStreamClient>(
        _service->port(), "/v1.1/live",
        std::map<std::string, std::string>{{"Authorization", "Bearer " + two}});
    EXPECT_EQ(third->status(), 429);
    EXPECT_THAT(third->body(), HasSubstr("2 live streams open already"));
    auto ofDefault = stream();
    const LiveStreamClient beyondDefault(_service->port(), "/v1.1/live",
                                         {{"Authorization", "Bearer " + _key}});
    EXPECT_EQ(beyondDefault.status(), 429);
    first.reset();  // the server sees it closed at its next write or key check
    for (int attempt = 0; attempt < 50; ++attempt) {
        third = std::make_unique<LiveStreamClient>(
            _service->port(), "/v1.1/live",
            std::map<std::string, std::string>{{"Authorization", "Bearer " + two}});
        if (third->status() == 200)
            break;
        std::this_thread::sleep_for(100ms);
    }
    EXPECT_EQ(third->status(), 200);
}

TEST_F(LiveStreamTest, CutsOffASlowConsumerAndKeepsServingAFastOne) {
    start("queue_events = 500");
    auto fast = stream();
    LiveStreamClient slow(_service->port(), "/v1.1/live", {{"Authorization", "Bearer " + _key}}, 4096);
    ASSERT_EQ(slow.status(), 200);
    // 10,000 readings a second, for two seconds: more than the slow consumer's socket buffers and
    // queue hold, while the fast one has 50 ms of its queue to spare.
    constexpr int kPacks = 400;
    constexpr int kPerPack = 50;
    std::atomic<int> received{0};
    std::thread reader([&] {
        while (received < kPacks * kPerPack) {
            const auto event = fast->nextEvent(10s);
            if (!event)
                return;
            ++received;
        }
    });
    Gateway gateway(_broker, "street_01");
    for (int pack = 0; pack < kPacks; ++pack) {
        std::string senml =
            R"([{"bn":"hypo_city/city_01/street_01/","bt":1796551200,"n":"air_pollution/no2_level","u":"ppb","v":0})";
        for (int reading = 1; reading < kPerPack; ++reading)
            senml += R"(,{"n":"air_pollution/no2_level","v":)" + std::to_string(reading) + R"(,"t":)" +
                     std::to_string(reading) + "}";
        gateway.publish(kNo2Topic, senml + "]");
        std::this_thread::sleep_for(5ms);
    }
    reader.join();
    EXPECT_EQ(received, kPacks * kPerPack) << "the fast consumer got every event";
    EXPECT_EQ(metric("citysense_api_live_slow_consumers_total"), "1");
    EXPECT_TRUE(slow.endsWithin(10s)) << "the slow consumer's connection was closed";
    EXPECT_EQ(metric("citysense_api_live_streams"), "1");
}

TEST_F(LiveStreamTest, ARevokedKeysStreamEnds) {
    start();
    const std::string revoked = addKey("short-lived", {"--scopes", "live:read"});
    auto client = stream("/v1.1/live", revoked);
    const CommandResult revoking = runProgram(
        {CITYSENSE_BINARY_DIR "/bin/citysense-api", "-c", _configuration, "keys", "revoke", "short-lived"});
    ASSERT_EQ(revoking.status, 0) << revoking.output;
    const auto start = std::chrono::steady_clock::now();
    const auto end = client->nextEvent(5s);
    ASSERT_TRUE(end);
    EXPECT_EQ(end->type, "end");
    EXPECT_TRUE(client->endsWithin(2s));
    EXPECT_LT(std::chrono::steady_clock::now() - start, 2500ms);
}

TEST_F(LiveStreamTest, StreamsOverHttps) {
    const std::string certificate = (_store.directory() / "api.crt").string();
    const std::string key = (_store.directory() / "api.key").string();
    runChecked({"openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                "-nodes", "-keyout", key, "-out", certificate, "-days", "2", "-subj", "/CN=127.0.0.1",
                "-addext", "subjectAltName=IP:127.0.0.1"});
    start("", "certificate_file = " + certificate + "\nkey_file = " + key);
    Gateway gateway(_broker, "street_01");
    const std::string origin = "https://127.0.0.1:" + std::to_string(_service->port());
    std::thread publisher([&] {
        for (int wait = 0; wait < 60; ++wait) {
            const CommandResult metrics =
                runProgram({"curl", "--silent", "--cacert", certificate, origin + "/metrics"});
            if (metrics.output.find("\ncitysense_api_live_streams 1\n") != std::string::npos)
                break;
            std::this_thread::sleep_for(100ms);
        }
        gateway.reading(kNo2Topic, 1);
        gateway.reading(kNo2Topic, 2);
    });
    // curl reads until its time is up: the stream's body ends only with the connection.
    const CommandResult streamed =
        runProgram({"curl", "--silent", "--no-buffer", "--max-time", "8", "--cacert", certificate, "-H",
                    "Authorization: Bearer " + _key, origin + "/v1.1/live"});
    publisher.join();
    EXPECT_THAT(streamed.output, HasSubstr("retry: 2000\n\n"));
    for (const char* result : {"\"result\":1,", "\"result\":2,"})
        EXPECT_THAT(streamed.output, HasSubstr(result)) << streamed.output;
}

}  // namespace
}  // namespace citysense
