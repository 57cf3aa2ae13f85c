// citysense-api's keys, embargo and rate limits, on the real service over SQLite and a real MariaDB:
// keys made by `citysense-api keys add` (hashes only on disk), revoked from the next request on,
// scopes, station lists, expiry; the embargo's edges everywhere readings are served; 429 and its
// headers at twice the rate; the bounded table of client addresses; and no key in the service's log.
#include "ApiTestStore.h"
#include "Programs.h"

#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/StreamCopier.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <filesystem>
#include <fstream>
#include <future>
#include <map>
#include <thread>

namespace citysense {
namespace {

using namespace test;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr Micros kSecond = kMicrosPerSecond;
constexpr Micros kMinute = 60 * kSecond;
constexpr Micros kHour = 60 * kMinute;

struct Reply {
    int status = 0;
    std::string body;
    std::map<std::string, std::string> headers;
    Poco::JSON::Object::Ptr json;

    std::string header(const std::string& name) const {
        const auto found = headers.find(name);
        return found == headers.end() ? "" : found->second;
    }
};

/// GET `target` with `headers`, from the loopback address `source`.
Reply ask(unsigned port, const std::string& target, const std::map<std::string, std::string>& headers = {},
          const std::string& source = "127.0.0.1") {
    Poco::Net::StreamSocket socket;
    socket.impl()->bind(Poco::Net::SocketAddress(source, 0), false);
    socket.connect(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(port)));
    Poco::Net::HTTPClientSession session(socket);
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, target,
                                   Poco::Net::HTTPMessage::HTTP_1_1);
    request.setHost("127.0.0.1", static_cast<Poco::UInt16>(port));
    for (const auto& [name, value] : headers)
        request.set(name, value);
    session.sendRequest(request);
    Poco::Net::HTTPResponse response;
    std::istream& in = session.receiveResponse(response);
    Reply reply;
    Poco::StreamCopier::copyToString(in, reply.body);
    reply.status = response.getStatus();
    for (const auto& [name, value] : response)
        reply.headers[name] = value;
    if (!reply.body.empty() && reply.body.front() == '{')
        reply.json = Poco::JSON::Parser().parse(reply.body).extract<Poco::JSON::Object::Ptr>();
    return reply;
}

std::map<std::string, std::string> bearer(const std::string& key) {
    return {{"Authorization", "Bearer " + key}};
}

/// Runs `citysense-api -c configuration keys ARGUMENTS...`.
CommandResult keys(const std::string& configuration, std::vector<std::string> arguments) {
    arguments.insert(arguments.begin(),
                     {CITYSENSE_BINARY_DIR "/bin/citysense-api", "-c", configuration, "keys"});
    return runProgram(arguments);
}

/// `keys add NAME ARGUMENTS...`, which must succeed: the key it printed.
std::string addKey(const std::string& configuration, const std::string& name,
                   std::vector<std::string> arguments) {
    arguments.insert(arguments.begin(), {"add", name});
    const CommandResult added = keys(configuration, arguments);
    EXPECT_EQ(added.status, 0) << added.output;
    const auto start = added.output.find("csk_");
    return start == std::string::npos ? "" : added.output.substr(start, 47);
}

std::size_t valueCount(const Reply& reply) {
    return reply.json && reply.json->has("value") ? reply.json->getArray("value")->size() : 0;
}

/// Two stations of hypo_city/city_01, an NO2 datastream each; each with a reading just older than the
/// hour's embargo (by a second) and one just younger.
class ApiAccess : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        _store = std::make_unique<ApiTestStore>(GetParam());
        _store->execute(
            "INSERT INTO stations (id, system, city, street, latitude, longitude) VALUES "
            "(1, 'hypo_city', 'city_01', 'street_01', 52.5, 13.4), (2, 'hypo_city', 'city_01', 'street_02', "
            "52.6, 13.5);"
            "INSERT INTO sensors (id, station_id, quantity, unit, driver) VALUES "
            "(1, 1, 'no2', 'ppb', 'driver.air'), (2, 2, 'no2', 'ppb', 'driver.air');");
        _now = nowMicros() / kSecond * kSecond;
        _older = _now - kHour - kSecond;
        _younger = _now - kHour + 20 * kSecond;  // still younger when the test's last request comes
        std::string sql = "INSERT INTO readings (sensor_id, time, value, quality) VALUES ";
        for (const int sensor : {1, 2}) {
            sql += (sensor == 1 ? "(" : ", (") + std::to_string(sensor) + ", " + _store->timeLiteral(_older) +
                   ", 10, 0), (" + std::to_string(sensor) + ", " + _store->timeLiteral(_younger) + ", 20, 0)";
        }
        _store->execute(sql + ";");
        _keysFile = (_store->directory() / "keys.json").string();
    }

    /// The configuration with the keys file, the hour's embargo and `more`.
    std::string configuration(const std::string& more = "") {
        return _store->writeConfiguration("keys_file = " + _keysFile + "\nembargo = 1h\n" + more);
    }

    std::unique_ptr<ApiTestStore> _store;
    std::string _keysFile;
    Micros _now = 0, _older = 0, _younger = 0;
};

TEST_P(ApiAccess, AnonymousRequestsSeeOnlyReadingsOlderThanTheEmbargoEverywhere) {
    const std::string config = configuration();
    const std::string live = addKey(config, "live", {"--scopes", "live:read"});
    const std::string history = addKey(config, "history", {"--scopes", "history:read"});
    ApiService service(config);
    const unsigned port = service.port();
    for (const auto& [who, headers, count] :
         {std::tuple{"anonymous", std::map<std::string, std::string>{}, 1u},
          {"history:read", bearer(history), 1u},
          {"live:read", bearer(live), 2u}}) {
        SCOPED_TRACE(who);
        const Reply observations = ask(port, "/v1.1/Datastreams(1)/Observations", headers);
        ASSERT_EQ(observations.status, 200) << observations.body;
        ASSERT_EQ(valueCount(observations), count) << observations.body;
        EXPECT_EQ(observations.json->getArray("value")->getObject(0)->getValue<double>("result"), 10);
        EXPECT_EQ(valueCount(ask(port, "/v1.1/Observations?$filter=result%20gt%200", headers)), 2 * count);
        const Reply array = ask(port, "/v1.1/Datastreams(1)/Observations?$resultFormat=dataArray", headers);
        EXPECT_EQ(array.json->getArray("value")->getObject(0)->getArray("dataArray")->size(), count)
            << array.body;
        const Reply expanded = ask(port, "/v1.1/Datastreams(1)?$expand=Observations", headers);
        EXPECT_EQ(expanded.json->getArray("Observations")->size(), count) << expanded.body;
        const Reply young = ask(port, "/v1.1/Observations('1-" + std::to_string(_younger) + "')", headers);
        EXPECT_EQ(young.status, count == 2 ? 200 : 404) << young.body;
        EXPECT_EQ(ask(port, "/v1.1/Observations('1-" + std::to_string(_older) + "')", headers).status, 200);
        const Reply counted = ask(port, "/v1.1/Datastreams(1)/Observations?$count=true", headers);
        EXPECT_EQ(counted.json->getValue<int>("@iot.count"), static_cast<int>(count));
        const Reply csv = ask(port, "/v1.1/Datastreams(1)/Observations?$resultFormat=csv", headers);
        ASSERT_EQ(csv.status, 200) << csv.body;
        EXPECT_EQ(std::count(csv.body.begin(), csv.body.end(), '\n'), static_cast<long>(count) + 1)
            << csv.body;
        const Reply latest = ask(port, "/latest.geojson", headers);
        ASSERT_EQ(latest.status, 200) << latest.body;
        const auto no2 = latest.json->getArray("features")
                             ->getObject(0)
                             ->getObject("properties")
                             ->getObject("latest")
                             ->getObject("no2");
        EXPECT_EQ(no2->getValue<double>("value"), count == 2 ? 20 : 10);
        const Reply hourly =
            ask(port,
                "/v1.1/Datastreams(1)/Aggregates?interval=1h&from=" + formatIsoTime(_now - 3 * kHour) +
                    "&to=" + formatIsoTime(_now + kHour),
                headers);
        if (count == 1) {
            // The one reading left tells no interval: the younger one is not among the inputs.
            EXPECT_EQ(hourly.status, 422) << hourly.body;
            continue;
        }
        ASSERT_EQ(hourly.status, 200) << hourly.body;
        int aggregated = 0;
        const auto hours = hourly.json->getArray("value");
        for (std::size_t hour = 0; hour < hours->size(); ++hour)
            aggregated += hours->getObject(static_cast<unsigned>(hour))->getValue<int>("count");
        EXPECT_EQ(aggregated, 2) << hourly.body;
    }
}

TEST_P(ApiAccess, AStationListShowsOnlyThoseStationsAndTheOthersAreNotThere) {
    const std::string config = configuration();
    const std::string key = addKey(config, "street-one",
                                   {"--scopes", "live:read", "--stations", "hypo_city/city_01/street_0[1]"});
    ApiService service(config);
    const auto headers = bearer(key);
    const Reply things = ask(service.port(), "/v1.1/Things", headers);
    ASSERT_EQ(valueCount(things), 1u) << things.body;
    EXPECT_EQ(things.json->getArray("value")->getObject(0)->getValue<std::string>("name"),
              "hypo_city/city_01/street_01");
    EXPECT_EQ(ask(service.port(), "/v1.1/Things(2)", headers).status, 404);
    EXPECT_EQ(ask(service.port(), "/v1.1/Datastreams(2)", headers).status, 404);
    EXPECT_EQ(ask(service.port(), "/v1.1/Datastreams(2)/Observations?$resultFormat=csv", headers).status,
              404);
    EXPECT_EQ(ask(service.port(), "/v1.1/Things(2)/Compliance?year=2025", headers).status, 404);
    EXPECT_EQ(valueCount(ask(service.port(), "/v1.1/Datastreams", headers)), 1u);
    EXPECT_EQ(valueCount(ask(service.port(), "/v1.1/Locations", headers)), 1u);
    EXPECT_EQ(valueCount(ask(service.port(), "/v1.1/Observations", headers)), 2u);
    const Reply latest = ask(service.port(), "/latest.geojson", headers);
    EXPECT_EQ(latest.json->getArray("features")->size(), 1u) << latest.body;
    EXPECT_EQ(valueCount(ask(service.port(), "/v1.1/Things")), 2u) << "anonymous: every station";
}

INSTANTIATE_TEST_SUITE_P(Stores, ApiAccess, ::testing::Values("sqlite", "mysql"),
                         [](const auto& info) { return info.param == "mysql" ? "MariaDb" : "Sqlite"; });

/// The same, over SQLite only: what does not depend on the store.
class ApiKeys : public ApiAccess {};

TEST_P(ApiKeys, TheFileHoldsOnlyHashesAndTheListShowsNoKey) {
    const std::string config = configuration();
    const std::string key =
        addKey(config, "city-app", {"--scopes", "live:read,history:read", "--rate", "600/min"});
    ASSERT_EQ(key.size(), 47u) << key;
    struct stat status {};
    ASSERT_EQ(::stat(_keysFile.c_str(), &status), 0);
    EXPECT_EQ(status.st_mode & 0777, 0600u);
    const std::string file = readFile(_keysFile);
    EXPECT_THAT(file, Not(HasSubstr(key.substr(4))));
    EXPECT_THAT(file, HasSubstr("\"sha256\""));
    const CommandResult listed = keys(config, {"list"});
    EXPECT_EQ(listed.status, 0) << listed.output;
    EXPECT_THAT(listed.output, HasSubstr("city-app"));
    EXPECT_THAT(listed.output, HasSubstr("live:read,history:read"));
    EXPECT_THAT(listed.output, HasSubstr("600/min"));
    EXPECT_THAT(listed.output, Not(HasSubstr(key.substr(4))));
    EXPECT_NE(keys(config, {"add", "city-app", "--scopes", "live:read"}).status, 0) << "the name is taken";
    EXPECT_NE(keys(config, {"add", "other", "--scopes", "live:write"}).status, 0);
    EXPECT_NE(keys(config, {"revoke", "nobody"}).status, 0);
}

TEST_P(ApiKeys, CommandsRunAtOnceLoseNoKey) {
    const std::string config = configuration();
    std::vector<std::future<CommandResult>> adding;
    for (int key = 0; key < 6; ++key)
        adding.push_back(std::async(std::launch::async, [&, key] {
            return keys(config, {"add", "app-" + std::to_string(key), "--scopes", "live:read"});
        }));
    for (auto& added : adding)
        EXPECT_EQ(added.get().status, 0);
    const std::string listed = keys(config, {"list"}).output;
    for (int key = 0; key < 6; ++key)
        EXPECT_THAT(listed, HasSubstr("app-" + std::to_string(key) + " ")) << listed;
}

TEST_P(ApiKeys, KeysComeInEitherHeaderAndARevokedKeyIsRefusedFromTheNextRequest) {
    const std::string config = configuration();
    const std::string key = addKey(config, "app", {"--scopes", "live:read"});
    ApiService service(config);
    EXPECT_EQ(valueCount(ask(service.port(), "/v1.1/Datastreams(1)/Observations", bearer(key))), 2u);
    EXPECT_EQ(valueCount(ask(service.port(), "/v1.1/Datastreams(1)/Observations", {{"X-API-Key", key}})), 2u);
    const CommandResult revoked = keys(config, {"revoke", "app"});
    ASSERT_EQ(revoked.status, 0) << revoked.output;
    const Reply refused = ask(service.port(), "/v1.1/Datastreams(1)/Observations", bearer(key));
    EXPECT_EQ(refused.status, 401) << refused.body;
    EXPECT_THAT(refused.json->getValue<std::string>("message"), HasSubstr("unknown API key"));
    EXPECT_THAT(refused.header("WWW-Authenticate"), HasSubstr("Bearer"));
}

TEST_P(ApiKeys, UnknownAndExpiredKeysAre401AndAMissingScopeIs403) {
    const std::string config = configuration();
    const std::string expired =
        addKey(config, "old", {"--scopes", "live:read", "--expires", "2020-01-01T00:00:00Z"});
    const std::string soon = addKey(config, "soon", {"--scopes", "live:read", "--expires", "2s"});
    const std::string admin = addKey(config, "operator", {"--scopes", "admin"});
    ApiService service(config);
    const Reply unknown = ask(service.port(), "/v1.1/Things", bearer("csk_" + std::string(43, 'A')));
    EXPECT_EQ(unknown.status, 401);
    EXPECT_THAT(unknown.json->getValue<std::string>("message"), HasSubstr("unknown"));
    const Reply old = ask(service.port(), "/v1.1/Things", {{"X-API-Key", expired}});
    EXPECT_EQ(old.status, 401);
    EXPECT_THAT(old.json->getValue<std::string>("message"), HasSubstr("expired"));
    EXPECT_EQ(ask(service.port(), "/v1.1/Things", bearer(soon)).status, 200);
    std::this_thread::sleep_for(std::chrono::milliseconds(2100));
    EXPECT_EQ(ask(service.port(), "/v1.1/Things", bearer(soon)).status, 401) << "expired since";
    const Reply forbidden = ask(service.port(), "/v1.1/Things", bearer(admin));
    EXPECT_EQ(forbidden.status, 403) << forbidden.body;
    EXPECT_THAT(forbidden.json->getValue<std::string>("message"), HasSubstr("scope"));
    EXPECT_EQ(ask(service.port(), "/health", bearer("nonsense")).status, 200) << "not checked";
    const std::string metrics = ask(service.port(), "/metrics").body;
    EXPECT_THAT(metrics, HasSubstr("citysense_api_refused_requests_total{reason=\"unknown_key\"} 1\n"));
    EXPECT_THAT(metrics, HasSubstr("citysense_api_refused_requests_total{reason=\"expired_key\"} 2\n"));
    EXPECT_THAT(metrics, HasSubstr("citysense_api_refused_requests_total{reason=\"missing_scope\"} 1\n"));
    EXPECT_THAT(metrics, HasSubstr("citysense_api_requests_total{code=\"401\"} 3\n"));
    EXPECT_THAT(metrics, HasSubstr("citysense_api_requests_total{code=\"403\"} 1\n"));
}

TEST_P(ApiKeys, AtTwiceTheRateHalfIsRefusedWith429AndItsHeaders) {
    const std::string config = configuration("rate_limit = 10/min\nkey_rate_limit = 1000/min\n");
    const std::string key = addKey(config, "slow", {"--scopes", "history:read", "--rate", "5/min"});
    ApiService service(config);
    int allowed = 0;
    Reply last;
    for (int request = 0; request < 20; ++request) {
        last = ask(service.port(), "/v1.1/Things");
        allowed += last.status == 200 ? 1 : 0;
        EXPECT_EQ(last.header("X-RateLimit-Limit"), "10");
        EXPECT_FALSE(last.header("X-RateLimit-Remaining").empty());
        EXPECT_FALSE(last.header("X-RateLimit-Reset").empty());
    }
    EXPECT_EQ(allowed, 10);
    EXPECT_EQ(last.status, 429) << last.body;
    EXPECT_EQ(last.header("X-RateLimit-Remaining"), "0");
    EXPECT_GE(std::stoi(last.header("Retry-After")), 1);
    EXPECT_LE(std::stoi(last.header("Retry-After")), 6);
    EXPECT_EQ(std::stoi(last.header("X-RateLimit-Reset")), 60);
    EXPECT_EQ(last.json->getValue<int>("code"), 429);
    int keyAllowed = 0;
    for (int request = 0; request < 10; ++request)
        keyAllowed += ask(service.port(), "/v1.1/Things", bearer(key)).status == 200 ? 1 : 0;
    EXPECT_EQ(keyAllowed, 5) << "the key's own rate, apart from its address's";
    EXPECT_EQ(ask(service.port(), "/v1.1/Things", {}, "127.0.0.2").status, 200) << "another address";
    EXPECT_EQ(ask(service.port(), "/health").status, 200) << "not limited";
    EXPECT_EQ(ask(service.port(), "/metrics").status, 200) << "not limited";
    EXPECT_THAT(ask(service.port(), "/metrics").body,
                HasSubstr("citysense_api_refused_requests_total{reason=\"rate_limited\"} 15\n"));
}

TEST_P(ApiKeys, TheTableOfClientAddressesIsBounded) {
    ApiService service(configuration("rate_limit_clients = 3\n"));
    for (int address = 2; address < 12; ++address)
        EXPECT_EQ(ask(service.port(), "/v1.1/Things", {}, "127.0.0." + std::to_string(address)).status, 200);
    const std::string metrics = ask(service.port(), "/metrics").body;
    EXPECT_THAT(metrics, HasSubstr("citysense_api_rate_limited_addresses 3\n"));
    EXPECT_THAT(metrics, HasSubstr("citysense_api_rate_limited_addresses_forgotten_total 7\n"));
}

TEST_P(ApiKeys, NoKeyReachesTheLog) {
    const std::string config = configuration("log_level = trace\n");
    const std::string key = addKey(config, "app", {"--scopes", "live:read"});
    ApiService service(config);
    const std::string wrong = "csk_" + std::string(43, 'B');
    EXPECT_EQ(ask(service.port(), "/v1.1/Things", bearer(key)).status, 200);
    EXPECT_EQ(ask(service.port(), "/v1.1/Things", {{"X-API-Key", wrong}}).status, 401);
    ASSERT_EQ(keys(config, {"revoke", "app"}).status, 0);
    EXPECT_EQ(ask(service.port(), "/v1.1/Things", bearer(key)).status, 401);
    service.process().signal(SIGHUP);
    ASSERT_TRUE(service.process().waitForLog("reloaded"));
    const std::string log = service.process().log();
    EXPECT_THAT(log, HasSubstr("keys file"));
    EXPECT_THAT(log, Not(HasSubstr(key.substr(4, 12))));
    EXPECT_THAT(log, Not(HasSubstr(wrong.substr(4, 12))));
    EXPECT_THAT(log, Not(HasSubstr("csk_")));
}

INSTANTIATE_TEST_SUITE_P(Stores, ApiKeys, ::testing::Values("sqlite"),
                         [](const auto& info) { return info.param == "mysql" ? "MariaDb" : "Sqlite"; });

}  // namespace
}  // namespace citysense
