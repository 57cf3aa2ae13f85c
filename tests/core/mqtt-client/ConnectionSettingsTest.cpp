// The client id the connection settings ask for: by default the user name, the id a broker that binds
// client ids to user names (etc/mosquitto) gives the connection anyway, and a warning for any other; and
// several brokers in `uri`, all plain or all TLS.
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

}  // namespace
}  // namespace citysense::mqtt
