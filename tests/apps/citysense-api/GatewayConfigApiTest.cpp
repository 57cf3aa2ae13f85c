// citysense-api's gateway configuration routes (issue 14, the operator's side over HTTP) end to end: a
// real Mosquitto configured as tools/broker does, a real citysensed gateway with remote_config on, and
// the real citysense-api with an [admin] section as the operator identity. The gateway applies only
// documents that verify with the operator's public key, so an applied report shows that what the API
// signed and published is the operator's.
#include "ApiTestStore.h"
#include "Broker.h"
#include "Programs.h"

#include <engine/Ed25519Key.h>
#include <engine/SignedDocument.h>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <csignal>
#include <filesystem>
#include <fstream>

namespace citysense {
namespace {

using namespace test;

const std::string kRoute = "/v1.1/admin/gateways/hypo_city/city_01/street_01/config";

struct Reply {
    int status = 0;
    std::string body;
    Poco::JSON::Object::Ptr json;
};

/// `method` `target` at the service with `key` (none when empty) and `body`.
Reply ask(unsigned port, const std::string& method, const std::string& target, const std::string& key,
          const std::string& body = "") {
    Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port));
    session.setTimeout(Poco::Timespan(60, 0));
    Poco::Net::HTTPRequest request(method, target, Poco::Net::HTTPMessage::HTTP_1_1);
    if (!key.empty())
        request.set("Authorization", "Bearer " + key);
    if (!body.empty()) {
        request.setContentType("application/json");
        request.setContentLength(static_cast<std::streamsize>(body.size()));
    }
    session.sendRequest(request) << body;
    Poco::Net::HTTPResponse response;
    std::istream& in = session.receiveResponse(response);
    Reply reply;
    Poco::StreamCopier::copyToString(in, reply.body);
    reply.status = response.getStatus();
    if (!reply.body.empty() && reply.body.front() == '{')
        reply.json = Poco::JSON::Parser().parse(reply.body).extract<Poco::JSON::Object::Ptr>();
    return reply;
}

std::string field(const Reply& reply, const std::string& path) {
    Poco::JSON::Object::Ptr object = reply.json;
    std::string rest = path;
    for (auto dot = rest.find('/'); object && dot != std::string::npos; dot = rest.find('/')) {
        object = object->getObject(rest.substr(0, dot));
        rest = rest.substr(dot + 1);
    }
    return object && object->has(rest) ? object->get(rest).convert<std::string>() : "";
}

class GatewayConfigApiTest : public ::testing::Test {
protected:
    Broker _broker;
    BrokerCredentials _gateway = _broker.addGateway("hypo_city", "city_01", "street_01");
    BrokerCredentials _operator = _broker.addOperator("operator_1");
    ApiTestStore _store{"sqlite"};
    std::string _directory = _broker.directory() + "/gateway";
    std::string _signingKey = _broker.directory() + "/operator.key";
    std::string _keysFile = (_store.directory() / "keys.json").string();

    void SetUp() override {
        std::filesystem::create_directories(_directory);
        const Ed25519Key key = Ed25519Key::generate();
        key.writePrivate(_signingKey);
        key.writePublic(_signingKey + ".pub");
    }

    /// The gateway: no2 and so2 every 200 ms, the mqtt sink, remote configuration with the public key.
    std::string gatewayConfig() const {
        const std::string path = _directory + "/gateway.ini";
        std::ofstream(path) << "[host]\nsystem = hypo_city\ncity = city_01\nstreet = street_01\n"
                            << "spool_dir = " << _directory << "/spool\nhttp_listen = 127.0.0.1:0\n"
                            << "remote_config = on\nremote_config_key = " << _signingKey << ".pub\n"
                            << "[driver.no2]\nplugin = simulated\ninterval = 200ms\nquantities = no2\n"
                            << "[driver.so2]\nplugin = simulated\ninterval = 200ms\nquantities = so2\n"
                            << "[sink.broker]\nplugin = mqtt\n"
                            << _broker.clientKeys(_gateway) << "qos = 1\nmax_backoff = 500ms\n"
                            << "[pipeline.main]\ndrivers = no2, so2\nsinks = broker\n";
        return path;
    }

    /// citysense-api's configuration with the keys file and `admin` as its [admin] section.
    std::string apiConfig(const std::string& admin) const {
        const std::string path = _store.writeConfiguration("keys_file = " + _keysFile + "\n");
        std::ofstream(path, std::ios::app) << "[admin]\n" << admin;
        return path;
    }

    /// The [admin] section as the operator identity at the test broker (or at `uri`).
    std::string operatorSection(const std::string& uri = "") const {
        return "remote_config = on\nuri = " + (uri.empty() ? _broker.tlsUri() : uri) +
               "\nusername = " + _operator.username + "\npassword_file = " + _operator.passwordFile +
               "\nca_file = " + _broker.caFile() + "\nsigning_key = " + _signingKey + "\n";
    }

    /// A mosquitto client `command` as the operator identity at the test broker: its output.
    std::string operatorTool(std::vector<std::string> command) const {
        command.insert(command.end(), {"-h", "127.0.0.1", "-p", std::to_string(_broker.tlsPort()), "--cafile",
                                       _broker.caFile(), "-u", _operator.username, "-P", _operator.password});
        return runChecked(command);
    }

    /// `keys add NAME --scopes SCOPES`: the key.
    std::string addKey(const std::string& configuration, const std::string& name, const std::string& scopes) {
        const CommandResult added = runProgram({CITYSENSE_BINARY_DIR "/bin/citysense-api", "-c",
                                                configuration, "keys", "add", name, "--scopes", scopes});
        EXPECT_EQ(added.status, 0) << added.output;
        const auto start = added.output.find("csk_");
        return start == std::string::npos ? "" : added.output.substr(start, 47);
    }
};

TEST_F(GatewayConfigApiTest, AnAdminKeyMutesADriverTheGatewayAppliesItAndShowSaysSo) {
    const std::string configuration = apiConfig(operatorSection());
    const std::string admin = addKey(configuration, "ops", "admin");
    ServiceProcess gateway({"-c", gatewayConfig()});
    ASSERT_TRUE(gateway.waitForLog("connected to")) << gateway.log();
    ApiService api(configuration);

    const Reply muted = ask(api.port(), "POST", kRoute + "?wait=5s", admin,
                            R"({"driver.so2": {"enabled": false}, "driver.no2": {"interval": "1s"}})");
    ASSERT_EQ(muted.status, 200) << muted.body << gateway.log() << api.process().log();
    EXPECT_EQ(field(muted, "state"), "applied") << muted.body;
    EXPECT_EQ(field(muted, "reported/status"), "applied") << muted.body;
    EXPECT_EQ(field(muted, "reported/applied_version"), "1") << muted.body;
    EXPECT_EQ(field(muted, "desired/changes/driver.so2/enabled"), "false") << muted.body;
    ASSERT_TRUE(gateway.waitForLog("not started: driver.so2 (enabled = false)")) << gateway.log();
    const std::string fragment = readFile(_directory + "/conf.d/99-remote.ini");
    EXPECT_NE(fragment.find("[driver.so2]\nenabled = false\n"), std::string::npos) << fragment;

    const Reply shown = ask(api.port(), "GET", kRoute, admin);
    ASSERT_EQ(shown.status, 200) << shown.body;
    EXPECT_EQ(field(shown, "gateway"), "hypo_city/city_01/street_01");
    EXPECT_EQ(field(shown, "state"), "applied") << shown.body;
    EXPECT_EQ(field(shown, "desired/version"), "1") << shown.body;
    EXPECT_EQ(field(shown, "desired/changes/driver.no2/interval"), "1s") << shown.body;

    // The next change goes on the current document, one version newer; null drops a key. A key the
    // gateway does not allow remotely is its decision, in its report.
    const Reply unset =
        ask(api.port(), "PATCH", kRoute + "?wait=5s", admin, R"({"driver.no2": {"interval": null}})");
    ASSERT_EQ(unset.status, 200) << unset.body;
    EXPECT_EQ(field(unset, "state"), "applied") << unset.body;
    EXPECT_EQ(field(unset, "desired/version"), "2") << unset.body;
    EXPECT_EQ(field(unset, "desired/changes/driver.so2/enabled"), "false") << unset.body;
    EXPECT_EQ(unset.json->getObject("desired")->getObject("changes")->has("driver.no2"), false) << unset.body;

    const Reply refused = ask(api.port(), "POST", kRoute + "?wait=5s", admin,
                              R"({"sink.broker": {"uri": "tcp://elsewhere:1883"}})");
    ASSERT_EQ(refused.status, 200) << refused.body;
    EXPECT_EQ(field(refused, "state"), "rejected") << refused.body;
    EXPECT_NE(refused.body.find("never changed remotely"), std::string::npos) << refused.body;
    EXPECT_EQ(field(refused, "reported/applied_version"), "2") << refused.body;

    const Reply unwaited = ask(api.port(), "POST", kRoute, admin, R"({"driver.so2": {"enabled": "true"}})");
    EXPECT_EQ(unwaited.status, 202) << unwaited.body;
    EXPECT_EQ(field(unwaited, "state"), "pending") << unwaited.body;
    EXPECT_EQ(field(unwaited, "desired/version"), "4") << unwaited.body;

    const std::string log = api.process().log();
    EXPECT_NE(log.find("admin: key 'ops' published version 1"), std::string::npos) << log;
    EXPECT_NE(log.find("hypo_city/city_01/street_01 version 1: applied (key 'ops')"), std::string::npos)
        << log;
    EXPECT_EQ(log.find(admin), std::string::npos) << "the key itself is never logged";
    gateway.signal(SIGTERM);
    EXPECT_EQ(gateway.wait(), 0) << gateway.log();

    // What the API left at the broker verifies with the operator's public key.
    const std::string retained = operatorTool(
        {"mosquitto_sub", "-C", "1", "-W", "5", "-t", "config/hypo_city/city_01/street_01/desired"});
    const DesiredDocument published =
        openSignedDocument(retained.substr(0, retained.find_last_not_of('\n') + 1),
                           Ed25519Key::readPublic(_signingKey + ".pub"));
    EXPECT_EQ(published.version, 4);
    EXPECT_EQ(published.changes.at("driver.so2").at("enabled"), "true");
}

TEST_F(GatewayConfigApiTest, ADocumentTheOperatorsKeyDidNotSignIsNotBuiltOnUnlessReplaced) {
    const std::string configuration = apiConfig(operatorSection());
    const std::string admin = addKey(configuration, "ops", "admin");
    const Ed25519Key other = Ed25519Key::generate();
    const DesiredDocument forged{"hypo_city/city_01/street_01",
                                 3,
                                 "forged",
                                 nowMicros() + 60 * kMicrosPerSecond,
                                 {{"driver.so2", {{"enabled", "false"}}}}};
    operatorTool({"mosquitto_pub", "-q", "1", "-r", "-t", "config/hypo_city/city_01/street_01/desired", "-m",
                  signDocument(forged, other)});
    ApiService api(configuration);

    const Reply onTop = ask(api.port(), "POST", kRoute, admin, R"({"driver.no2": {"interval": "1s"}})");
    EXPECT_EQ(onTop.status, 409) << onTop.body;
    EXPECT_NE(onTop.body.find("cannot be built on"), std::string::npos) << onTop.body;
    const Reply replaced =
        ask(api.port(), "POST", kRoute + "?replace=true", admin, R"({"driver.no2": {"interval": "1s"}})");
    EXPECT_EQ(replaced.status, 202) << replaced.body;
    EXPECT_EQ(field(replaced, "desired/version"), "1") << replaced.body;
    EXPECT_EQ(replaced.json->getObject("desired")->getObject("changes")->has("driver.so2"), false)
        << replaced.body;
}

TEST_F(GatewayConfigApiTest, OnlyAdminKeysAndWellFormedRequestsAreTaken) {
    const std::string configuration = apiConfig(operatorSection());
    const std::string admin = addKey(configuration, "ops", "admin");
    const std::string reader = addKey(configuration, "app", "live:read");
    ApiService api(configuration);

    EXPECT_EQ(ask(api.port(), "GET", kRoute, "").status, 401);
    EXPECT_EQ(ask(api.port(), "POST", kRoute, "", R"({"driver.so2": {"enabled": false}})").status, 401);
    EXPECT_EQ(ask(api.port(), "GET", kRoute, reader).status, 403);
    EXPECT_EQ(ask(api.port(), "POST", kRoute, reader, R"({"driver.so2": {"enabled": false}})").status, 403);
    EXPECT_EQ(ask(api.port(), "GET", "/v1.1/Things", admin).status, 403) << "admin reads no readings";

    const auto refused = [&](const std::string& method, const std::string& target, const std::string& body,
                             const std::string& says) {
        const Reply reply = ask(api.port(), method, target, admin, body);
        EXPECT_EQ(reply.status, 400) << target << " " << body << ": " << reply.body;
        EXPECT_NE(reply.body.find(says), std::string::npos) << reply.body;
    };
    refused("GET", "/v1.1/admin/gateways/hypo_city/city_01/config", "", "is not /v1.1/admin/gateways/SYSTEM");
    refused("GET", "/v1.1/admin/gateways/hypo_city/+/street_01/config", "", "is not /v1.1/admin/gateways");
    refused("POST", kRoute, "driver.so2.enabled=false", "the body is not JSON");
    refused("POST", kRoute, "[1]", "a JSON object of sections");
    refused("POST", kRoute, R"({"so2": {"enabled": false}})", "'so2' is not a section KIND.NAME");
    refused("POST", kRoute, R"({"driver.so2": {"enabled": [false]}})", "driver.so2.enabled: a value is");
    refused("POST", kRoute, "{}", "no change");
    refused("POST", kRoute + "?wait=1h", R"({"driver.so2": {"enabled": false}})", "wait=1h: at most 30s");
    refused("POST", kRoute + "?force=1", R"({"driver.so2": {"enabled": false}})", "unknown parameter");

    const Reply large = ask(api.port(), "POST", kRoute, admin,
                            R"({"driver.so2": {"note": ")" + std::string(70000, 'x') + "\"}}");
    EXPECT_EQ(large.status, 413) << large.body;
    const Reply deleted = ask(api.port(), "DELETE", kRoute, admin);
    EXPECT_EQ(deleted.status, 405) << deleted.body;

    const std::string log = api.process().log();
    EXPECT_NE(log.find("admin: no key: GET " + kRoute + " refused with 401"), std::string::npos) << log;
    EXPECT_NE(log.find("admin: key 'app': POST " + kRoute + " refused with 403"), std::string::npos) << log;
    EXPECT_EQ(log.find(reader), std::string::npos) << "the key itself is never logged";
}

TEST_F(GatewayConfigApiTest, WithoutTheBrokerTheAnswerIs503) {
    const std::string configuration =
        apiConfig(operatorSection("mqtts://127.0.0.1:" + std::to_string(freePorts(1).front())));
    const std::string admin = addKey(configuration, "ops", "admin");
    ApiService api(configuration);
    const Reply shown = ask(api.port(), "GET", kRoute, admin);
    EXPECT_EQ(shown.status, 503) << shown.body;
    EXPECT_NE(shown.body.find("cannot connect"), std::string::npos) << shown.body;
    const Reply set = ask(api.port(), "POST", kRoute, admin, R"({"driver.so2": {"enabled": false}})");
    EXPECT_EQ(set.status, 503) << set.body;
}

TEST_F(GatewayConfigApiTest, CheckNamesTheProblemsOfTheAdminSectionBySectionAndKey) {
    ::chmod(_signingKey.c_str(), 0644);
    const std::string configuration =
        apiConfig("remote_config = on\nuri = ftp://broker\nca_file = /nonexistent/ca.crt\nsigning_key = " +
                  _signingKey + "\n");
    const CommandResult checked =
        runProgram({CITYSENSE_BINARY_DIR "/bin/citysense-api", "-c", configuration, "--check"});
    EXPECT_NE(checked.status, 0) << checked.output;
    for (const char* problem : {"[admin] uri: unknown scheme 'ftp'", "[admin] username: remote_config needs",
                                "[admin] password_file: remote_config needs", "[admin] ca_file: no such file",
                                "[admin] signing_key: '"})
        EXPECT_NE(checked.output.find(problem), std::string::npos) << problem << "\n" << checked.output;
    EXPECT_NE(checked.output.find("is readable by every user"), std::string::npos) << checked.output;

    ::chmod(_signingKey.c_str(), 0600);
    const CommandResult valid = runProgram(
        {CITYSENSE_BINARY_DIR "/bin/citysense-api", "-c", apiConfig(operatorSection()), "--check"});
    EXPECT_EQ(valid.status, 0) << valid.output;
}

}  // namespace
}  // namespace citysense
