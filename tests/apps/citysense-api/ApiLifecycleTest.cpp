// citysense-api as a service: it serves a store the sql sink wrote (citysensed --once), a SIGTERM lets a
// request under way finish, a store that goes away and comes back is reported by /health and answered with
// 503s meanwhile, links start with the configured base URL, HEAD is GET without a body and nothing else is
// allowed, and with a certificate it speaks HTTPS only. On MariaDB a page of Observations is prepared once
// on a connection, and read again on a new one when the server dropped it.
#include "ApiTestStore.h"
#include "Programs.h"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <future>
#include <sstream>
#include <thread>

namespace citysense {
namespace {

using namespace test;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* kOneStation =
    "INSERT INTO stations (id, system, city, street) VALUES (1, 'hypo_city', 'city_01', 'street_01');";

TEST(ApiLifecycle, ServesWhatTheSqlSinkStored) {
    ApiTestStore store("sqlite");
    const std::string gateway = (store.directory() / "gateway.ini").string();
    std::ofstream(gateway)
        << "[host]\nsystem = hypo_city\ncity = city_01\nstreet = street_01\nlatitude = 52.52\n"
           "longitude = 13.405\nspool_dir =\nhttp_listen = off\n"
           "[driver.street]\nplugin = simulated\nquantities = no2, temperature\n"
           "[sink.db]\nplugin = sql\nconnector = sqlite\nconnection = "
        << store.sqliteFile() << "\n[pipeline.main]\ndrivers = street\nsinks = db\n";
    for (int read = 0; read < 2; ++read) {
        const CommandResult once = runCitysensed({"-c", gateway, "--once"});
        ASSERT_EQ(once.status, 0) << once.output;
    }
    ApiService service(store.writeConfiguration());
    const ApiAnswer datastreams = service.get("/v1.1/Things(1)/Datastreams");
    ASSERT_EQ(datastreams.status, 200) << datastreams.body;
    ASSERT_EQ(datastreams.json->getArray("value")->size(), 2u);
    const auto no2 = datastreams.json->getArray("value")->getObject(0);
    EXPECT_EQ(no2->getValue<std::string>("name"), "no2 at hypo_city/city_01/street_01 (driver.street)");
    EXPECT_EQ(service.get("/v1.1/Datastreams(1)/Sensor").json->getValue<std::string>("metadata"),
              "driver.street");
    const ApiAnswer observations = service.get("/v1.1/Datastreams(1)/Observations");
    ASSERT_EQ(observations.json->getArray("value")->size(), 2u) << observations.body;
    EXPECT_EQ(observations.json->getArray("value")
                  ->getObject(0)
                  ->getArray("resultQuality")
                  ->getElement<std::string>(0),
              "simulated");
    EXPECT_EQ(service.get("/v1.1/Things(1)/Locations").json->getArray("value")->size(), 1u);
}

TEST(ApiLifecycle, SigtermLetsARequestUnderWayFinish) {
    ApiTestStore store("sqlite");
    store.execute(kOneStation);
    ApiService service(store.writeConfiguration());
    // A writer holds the store's lock for a while: the request waits for it (busy_timeout) meanwhile.
    // (It says so with a file: its standard output reaches the log only when it ends.)
    const std::string lockLog = (store.directory() / "lock.log").string();
    const std::string locked = (store.directory() / "locked").string();
    const pid_t locker = startProgram({"sqlite3", store.sqliteFile(), "-cmd", "BEGIN EXCLUSIVE;", "-cmd",
                                       ".shell touch " + locked, "-cmd", ".shell sleep 1.5", "COMMIT;"},
                                      lockLog);
    ASSERT_TRUE(eventually([&] { return std::filesystem::exists(locked); })) << readFile(lockLog);
    auto request = std::async(std::launch::async, [&] { return service.get("/v1.1/Things"); });
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    if (request.wait_for(std::chrono::seconds(0)) == std::future_status::ready)
        FAIL() << "the request did not wait: " << request.get().body << "\n" << readFile(lockLog);
    service.process().signal(SIGTERM);
    ASSERT_TRUE(service.process().waitForLog("stopping: letting the requests under way finish"));
    const ApiAnswer answer = request.get();
    EXPECT_EQ(answer.status, 200) << answer.body;
    EXPECT_THAT(answer.body, HasSubstr("street_01"));
    EXPECT_EQ(waitForExit(locker), 0) << readFile(lockLog);
    // ~ApiService: the service then exits 0.
}

TEST(ApiLifecycle, AStoreThatGoesAwayIsA503UntilItIsBack) {
    ApiTestStore store("mysql");
    store.execute(kOneStation);
    ApiService service(store.writeConfiguration());
    EXPECT_EQ(service.get("/v1.1/Things").status, 200);
    store.server().stop();
    const ApiAnswer health = service.get("/health");
    EXPECT_EQ(health.status, 503) << health.body;
    EXPECT_FALSE(health.json->getObject("store")->getValue<bool>("reachable"));
    const ApiAnswer things = service.get("/v1.1/Things");
    EXPECT_EQ(things.status, 503) << things.body;
    EXPECT_EQ(things.json->getValue<int>("code"), 503);
    store.server().start();
    EXPECT_TRUE(eventually([&] { return service.get("/v1.1/Things").status == 200; }));
    EXPECT_EQ(service.get("/health").status, 200);
    EXPECT_THAT(service.get("/metrics").body, HasSubstr("citysense_api_requests_total{code=\"503\"} "));
}

/// MariaDB's count of statements prepared since it started.
int statementsPrepared(ApiTestStore& store) {
    const std::string status = store.server().query("SHOW GLOBAL STATUS LIKE 'Com_stmt_prepare'");
    return std::stoi(status.substr(status.find('\t') + 1));
}

constexpr const char* kReadings =
    "INSERT INTO sensors (id, station_id, quantity, unit, driver) VALUES (1, 1, 'no2', 'ppb', 'driver.a');"
    "INSERT INTO readings (sensor_id, time, value, quality) SELECT 1, '2025-11-24 16:00:00' + INTERVAL seq "
    "SECOND, seq, 0 FROM seq_1_to_30;";

TEST(ApiLifecycle, APageOfObservationsIsPreparedOnceOnAConnection) {
    ApiTestStore store("mysql");
    store.execute(std::string(kOneStation) + kReadings);
    ApiService service(store.writeConfiguration());
    ASSERT_EQ(service.get("/v1.1/Datastreams(1)/Observations?$top=5").status, 200);
    const int prepared = statementsPrepared(store);
    std::string next = "/v1.1/Datastreams(1)/Observations?$top=5";
    for (int page = 0; page < 5; ++page) {
        const ApiAnswer answer = service.get(next);
        ASSERT_EQ(answer.status, 200) << answer.body;
        EXPECT_EQ(answer.json->getArray("value")->getObject(0)->getValue<double>("result"), page * 5 + 1);
        const std::string link = answer.json->getValue<std::string>("@iot.nextLink");
        next = link.substr(link.find("/v1.1/"));
    }
    // The first page (no cursor) and the pages after one (a cursor) are two statements, one request at a
    // time one connection: the second shape is the only one prepared again.
    EXPECT_EQ(statementsPrepared(store), prepared + 1);
}

TEST(ApiLifecycle, APageOfObservationsIsReadOnANewConnectionWhenTheServerDroppedItsOwn) {
    ApiTestStore store("mysql");
    store.execute(std::string(kOneStation) + kReadings);
    ApiService service(store.writeConfiguration());
    ASSERT_EQ(service.get("/v1.1/Datastreams(1)/Observations").status, 200);
    const std::string connections =
        store.server().query("SELECT id FROM information_schema.PROCESSLIST WHERE USER = 'reader'");
    std::istringstream ids(connections);
    for (std::string id; std::getline(ids, id);)
        store.server().query("KILL " + id);
    const ApiAnswer page = service.get("/v1.1/Datastreams(1)/Observations");
    ASSERT_EQ(page.status, 200) << page.body;
    EXPECT_EQ(page.json->getArray("value")->size(), 30u);
}

TEST(ApiLifecycle, ABaseUrlStartsEveryLinkWhateverTheHostHeader) {
    ApiTestStore store("sqlite");
    store.execute(kOneStation);
    ApiService service(store.writeConfiguration("base_url = https://data.city.example/"));
    const ApiAnswer thing = service.get("/v1.1/Things(1)");
    EXPECT_EQ(thing.json->getValue<std::string>("@iot.selfLink"), "https://data.city.example/v1.1/Things(1)");
    EXPECT_EQ(thing.json->getValue<std::string>("Datastreams@iot.navigationLink"),
              "https://data.city.example/v1.1/Things(1)/Datastreams");
}

TEST(ApiLifecycle, HeadAnswersLikeGetWithoutABodyAndOtherMethodsAre405) {
    ApiTestStore store("sqlite");
    store.execute(kOneStation);
    ApiService service(store.writeConfiguration());
    const auto ask = [&](const std::string& method, std::string& body) {
        Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(service.port()));
        Poco::Net::HTTPRequest request(method, "/v1.1/Things", Poco::Net::HTTPMessage::HTTP_1_1);
        request.setContentLength(0);
        session.sendRequest(request);
        Poco::Net::HTTPResponse response;
        Poco::StreamCopier::copyToString(session.receiveResponse(response), body);
        return response;
    };
    std::string body;
    const Poco::Net::HTTPResponse head = ask(Poco::Net::HTTPRequest::HTTP_HEAD, body);
    EXPECT_EQ(head.getStatus(), 200);
    EXPECT_EQ(head.getContentType(), "application/json");
    EXPECT_EQ(head.getContentLength(), static_cast<std::streamsize>(service.get("/v1.1/Things").body.size()));
    EXPECT_EQ(body, "");
    const Poco::Net::HTTPResponse post = ask(Poco::Net::HTTPRequest::HTTP_POST, body);
    EXPECT_EQ(post.getStatus(), 405);
    EXPECT_EQ(post.get("Allow"), "GET, HEAD");
}

TEST(ApiLifecycle, WithACertificateItSpeaksHttpsWithTls12OrNewer) {
    ApiTestStore store("sqlite");
    store.execute(kOneStation);
    const std::string certificate = (store.directory() / "api.crt").string();
    const std::string key = (store.directory() / "api.key").string();
    runChecked({"openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                "-nodes", "-keyout", key, "-out", certificate, "-days", "2", "-subj", "/CN=127.0.0.1",
                "-addext", "subjectAltName=IP:127.0.0.1"});
    ApiService service(store.writeConfiguration("certificate_file = " + certificate + "\nkey_file = " + key));
    EXPECT_THAT(service.process().log(), HasSubstr("listening on https://127.0.0.1:"));
    const std::string url = "https://127.0.0.1:" + std::to_string(service.port()) + "/v1.1/Things(1)";
    const CommandResult secure =
        runProgram({"curl", "--silent", "--show-error", "--cacert", certificate, url});
    EXPECT_EQ(secure.status, 0) << secure.output;
    EXPECT_THAT(secure.output, HasSubstr("\"@iot.selfLink\":\"" + url + "\""));
    const CommandResult old = runProgram({"curl", "--silent", "--cacert", certificate, "--tlsv1.1",
                                          "--tls-max", "1.1", "--ciphers", "DEFAULT@SECLEVEL=0", url});
    EXPECT_NE(old.status, 0) << "TLS 1.1 was accepted: " << old.output;
    const CommandResult plain = runProgram(
        {"curl", "--silent", "http://127.0.0.1:" + std::to_string(service.port()) + "/v1.1/Things"});
    EXPECT_THAT(plain.output, Not(HasSubstr("street_01")));
}

}  // namespace
}  // namespace citysense
