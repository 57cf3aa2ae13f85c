// The client id the connection settings ask for: by default the user name, the id a broker that binds
// client ids to user names (etc/mosquitto) gives the connection anyway, and a warning for any other; and
// several brokers in `uri`, all plain or all TLS, each host[:port] read as every citysense address is.
#include <mqtt-client/Connection.h>

#include <gtest/gtest.h>

namespace citysense::mqtt {
namespace {

ConnectionSettings read(const std::map<std::string, std::string>& raw) {
    std::vector<OptionIssue> issues;
    const Options options = Options::parse(connectionOptions("Client id"), raw, issues, "/");
    EXPECT_TRUE(issues.empty());
    return readConnectionSettings(options, "anonymous_id");
}

TEST(ConnectionSettings, TheClientIdIsTheUserNameByDefault) {
    const ConnectionSettings settings = read({{"username", "gw_city_01_street_01"}});
    EXPECT_EQ(settings.clientId, "gw_city_01_street_01");
    EXPECT_EQ(clientIdWarning(settings), "");
}

TEST(ConnectionSettings, WithoutAUserNameTheCallersIdApplies) {
    const ConnectionSettings settings = read({});
    EXPECT_EQ(settings.clientId, "anonymous_id");
    EXPECT_EQ(clientIdWarning(settings), "");
}

TEST(ConnectionSettings, AGivenClientIdIsKeptAndOneOtherThanTheUserNameWarnedAbout) {
    ConnectionSettings settings = read({{"username", "ingest_1"}, {"client_id", "ingest_1"}});
    EXPECT_EQ(settings.clientId, "ingest_1");
    EXPECT_EQ(clientIdWarning(settings), "");
    settings = read({{"username", "ingest_1"}, {"client_id", "ingest_2"}});
    EXPECT_EQ(settings.clientId, "ingest_2");
    EXPECT_EQ(clientIdWarning(settings),
              "the client id 'ingest_2' is not the user name 'ingest_1': a broker that binds client ids to "
              "user names (use_username_as_clientid, as etc/mosquitto/mosquitto.conf does) uses 'ingest_1' "
              "instead");
    EXPECT_EQ(clientIdWarning(read({{"client_id", "anyone"}})), "");
}

TEST(ConnectionSettings, SeveralBrokersAreTheFirstAndItsFallbacksInOrder) {
    const ConnectionSettings settings = read({{"uri", "mqtts://a.example, ssl://b.example:1884 ,mqtts://c"}});
    EXPECT_EQ(settings.uri, "ssl://a.example:8883");
    EXPECT_EQ(settings.fallbackUris, (std::vector<std::string>{"ssl://b.example:1884", "ssl://c:8883"}));
    EXPECT_TRUE(read({}).fallbackUris.empty());
}

TEST(ConnectionSettings, BrokersThatMixPlainAndTlsOrAnEmptyEntryAreRefusedNamingUri) {
    for (const char* uri : {"mqtts://a, tcp://b", "ssl://a,,ssl://b", "ssl://a, "}) {
        std::vector<OptionIssue> issues;
        const Options options = Options::parse(connectionOptions("Client id"), {{"uri", uri}}, issues, "/");
        try {
            readConnectionSettings(options, "anonymous_id");
            ADD_FAILURE() << uri << " was accepted";
        } catch (const OptionError& error) {
            EXPECT_EQ(error.key(), "uri") << uri;
        }
    }
}

TEST(ConnectionSettings, ABrokerAddressIsHostAndAnOptionalPortWithIpv6InBrackets) {
    EXPECT_EQ(normalizeUri("mqtt://broker"), "tcp://broker:1883");
    EXPECT_EQ(normalizeUri("mqtts://broker/"), "ssl://broker:8883");
    EXPECT_EQ(normalizeUri("tcp://10.0.0.1:1884"), "tcp://10.0.0.1:1884");
    EXPECT_EQ(normalizeUri("ssl://[::1]"), "ssl://[::1]:8883");
    EXPECT_EQ(normalizeUri("mqtt://[fe80::1]:1884"), "tcp://[fe80::1]:1884");
}

TEST(ConnectionSettings, ABadBrokerAddressIsRefusedNamingTheUri) {
    for (const auto& [uri, message] : std::vector<std::pair<std::string, std::string>>{
             {"broker:1883", "'broker:1883' has no scheme (tcp://, ssl://, mqtt:// or mqtts://)"},
             {"mqtt://broker/x", "'mqtt://broker/x' is not scheme://host[:port]"},
             {"mqtt://broker:0",
              "in 'mqtt://broker:0': 'broker:0' has port '0', not a number from 1 to 65535"},
             {"mqtt://broker:mqtt", "in 'mqtt://broker:mqtt': 'broker:mqtt' has port 'mqtt', not a number"},
             {"mqtt://broker:", "in 'mqtt://broker:': 'broker:' has port '', not a number"},
             {"mqtt://:1883", "in 'mqtt://:1883': ':1883' has no host"},
             {"mqtt://::1", "in 'mqtt://::1': '::1' has an IPv6 address without brackets"},
             {"mqtt://[::1", "in 'mqtt://[::1': '[::1' has a '[' without its ']'"}}) {
        try {
            normalizeUri(uri);
            ADD_FAILURE() << uri << " was accepted";
        } catch (const std::invalid_argument& error) {
            EXPECT_EQ(std::string(error.what()).substr(0, message.size()), message) << error.what();
        }
    }
}

}  // namespace
}  // namespace citysense::mqtt
