// The refusals of the routes that check a key's scope themselves, the live stream and the admin
// routes, are counted in /metrics as the admission's are: 401 without a key as missing_key, 403 for a
// key without the route's scope as missing_scope, besides the answers by status code. The real
// citysense-api with its admin routes on, as the operator identity at a real Mosquitto.
#include "ApiTestStore.h"
#include "Broker.h"
#include "Programs.h"

#include <engine/Ed25519Key.h>

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

namespace citysense {
namespace {

using namespace test;
using ::testing::HasSubstr;

/// The status of GET `target` at the service with `key` (none when empty); the body is not read.
int statusOf(unsigned port, const std::string& target, const std::string& key) {
    Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port));
    session.setTimeout(Poco::Timespan(60, 0));
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, target,
                                   Poco::Net::HTTPMessage::HTTP_1_1);
    if (!key.empty())
        request.set("Authorization", "Bearer " + key);
    session.sendRequest(request);
    Poco::Net::HTTPResponse response;
    session.receiveResponse(response);
    return response.getStatus();
}

class RouteRefusalMetrics : public ::testing::Test {
protected:
    Broker _broker;
    BrokerCredentials _operator = _broker.addOperator("operator_1");
    ApiTestStore _store{"sqlite"};
    std::string _signingKey = _broker.directory() + "/operator.key";

    /// citysense-api's configuration: a keys file, the admin routes on as the operator identity.
    std::string configuration() const {
        Ed25519Key::generate().writePrivate(_signingKey);
        const std::string path =
            _store.writeConfiguration("keys_file = " + (_store.directory() / "keys.json").string() + "\n");
        std::ofstream(path, std::ios::app)
            << "[admin]\nremote_config = on\n"
            << _broker.clientKeys(_operator) << "signing_key = " << _signingKey << "\n";
        return path;
    }

    /// `keys add NAME --scopes SCOPES`: the key printed.
    static std::string addKey(const std::string& configuration, const std::string& name,
                              const std::string& scopes) {
        const CommandResult added = runProgram({CITYSENSE_BINARY_DIR "/bin/citysense-api", "-c",
                                                configuration, "keys", "add", name, "--scopes", scopes});
        EXPECT_EQ(added.status, 0) << added.output;
        const auto start = added.output.find("csk_");
        return start == std::string::npos ? "" : added.output.substr(start, 47);
    }
};

TEST_F(RouteRefusalMetrics, TheLiveStreamsAndTheAdminRoutesOwn401And403AreCounted) {
    const std::string config = configuration();
    const std::string reader = addKey(config, "reader", "history:read");
    ApiService service(config);
    const std::string admin = "/v1.1/admin/gateways/hypo_city/city_01/street_01/config";
    EXPECT_EQ(statusOf(service.port(), "/v1.1/live", ""), 401);
    EXPECT_EQ(statusOf(service.port(), "/v1.1/live", reader), 403);
    EXPECT_EQ(statusOf(service.port(), admin, ""), 401);
    EXPECT_EQ(statusOf(service.port(), admin, reader), 403);
    EXPECT_EQ(statusOf(service.port(), "/v1.1/Things", reader), 200) << "not a refusal";
    const std::string metrics = service.get("/metrics").body;
    EXPECT_THAT(metrics, HasSubstr("citysense_api_refused_requests_total{reason=\"missing_key\"} 2\n"));
    EXPECT_THAT(metrics, HasSubstr("citysense_api_refused_requests_total{reason=\"missing_scope\"} 2\n"));
    EXPECT_THAT(metrics, HasSubstr("citysense_api_refused_requests_total{reason=\"unknown_key\"} 0\n"));
    EXPECT_THAT(metrics, HasSubstr("citysense_api_requests_total{code=\"401\"} 2\n"));
    EXPECT_THAT(metrics, HasSubstr("citysense_api_requests_total{code=\"403\"} 2\n"));
}

}  // namespace
}  // namespace citysense
