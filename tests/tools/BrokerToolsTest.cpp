// The broker tools against a real Mosquitto: tools/make-certs, tools/broker (through the test Broker
// and on its own), tools/add-gateway and tools/add-subscriber, with mosquitto_pub, mosquitto_sub and
// openssl s_client as the clients. Receiving uses a persistent session: the subscriber subscribes and
// leaves, the messages are published, and the subscriber comes back for what was queued, in order.
// Mosquitto drops a publish the ACL refuses without telling an MQTT 3.1.1 client, so a message that
// must not arrive is followed by a marker that must: the marker coming first proves the other never will.
#include "Broker.h"
#include "Programs.h"
#include "ServiceProcess.h"

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

namespace citysense {
namespace {

using namespace test;

const std::string tools = CITYSENSE_SOURCE_DIR "/tools/";

std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> result;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        result.push_back(line);
    return result;
}

/// A fresh directory under /tmp, removed with everything in it.
class TemporaryDirectory {
public:
    TemporaryDirectory() {
        std::string pattern = (std::filesystem::temp_directory_path() / "citysense-tools-XXXXXX").string();
        if (!::mkdtemp(pattern.data()))
            throw std::runtime_error("mkdtemp failed");
        _path = pattern;
    }
    ~TemporaryDirectory() { std::filesystem::remove_all(_path); }
    TemporaryDirectory(const TemporaryDirectory&) = delete;
    TemporaryDirectory& operator=(const TemporaryDirectory&) = delete;
    const std::string& path() const { return _path; }

private:
    std::string _path;
};

/// A loopback socket listening on a port of the kernel's choice, for as long as it lives.
class ListeningSocket {
public:
    ListeningSocket() : _socket(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t length = sizeof address;
        if (_socket < 0 || ::bind(_socket, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
            ::listen(_socket, 1) != 0 ||
            ::getsockname(_socket, reinterpret_cast<sockaddr*>(&address), &length) != 0)
            throw std::runtime_error("cannot listen on loopback");
        _port = ntohs(address.sin_port);
    }
    ~ListeningSocket() { close(); }
    ListeningSocket(const ListeningSocket&) = delete;
    ListeningSocket& operator=(const ListeningSocket&) = delete;
    void close() {
        if (_socket >= 0)
            ::close(_socket);
        _socket = -1;
    }
    unsigned port() const { return _port; }

private:
    int _socket;
    unsigned _port = 0;
};

class BrokerTools : public ::testing::Test {
protected:
    Broker _broker;

    std::vector<std::string> client(const std::string& program, const BrokerCredentials& credentials,
                                    const std::string& caFile = "") const {
        std::vector<std::string> command = {program, "-h", "127.0.0.1", "-p",
                                            std::to_string(_broker.tlsPort())};
        command.insert(command.end(), {"--cafile", caFile.empty() ? _broker.caFile() : caFile});
        command.insert(command.end(), {"-u", credentials.username, "-P", credentials.password});
        return command;
    }

    /// Publishes at QoS 1: when it returns, the broker has routed the message (or dropped it).
    /// `clientId`: the id to ask for (mosquitto_pub makes one up by default).
    CommandResult publish(const BrokerCredentials& credentials, const std::string& topic,
                          const std::string& payload, bool retain = false,
                          const std::string& clientId = "") const {
        std::vector<std::string> command = client("mosquitto_pub", credentials);
        command.insert(command.end(), {"-q", "1", "-t", topic, "-m", payload});
        if (retain)
            command.push_back("-r");
        if (!clientId.empty())
            command.insert(command.end(), {"-i", clientId});
        return runProgram(command);
    }

    std::vector<std::string> session(const BrokerCredentials& credentials, const std::string& id,
                                     const std::vector<std::string>& filters) const {
        std::vector<std::string> command = client("mosquitto_sub", credentials);
        command.insert(command.end(), {"-c", "-i", id, "-q", "1", "-v"});
        for (const std::string& filter : filters)
            command.insert(command.end(), {"-t", filter});
        return command;
    }

    /// Subscribes a persistent session to `filters` and leaves; the broker queues what they match.
    ::testing::AssertionResult openSession(const BrokerCredentials& credentials, const std::string& id,
                                           const std::vector<std::string>& filters) const {
        std::vector<std::string> command = session(credentials, id, filters);
        command.push_back("-E");
        const CommandResult finished = runProgram(command);
        if (finished.status != 0)
            return ::testing::AssertionFailure() << "mosquitto_sub -E: " << finished.output;
        return ::testing::AssertionSuccess();
    }

    /// The first `count` messages the session gets when it comes back, as "topic payload" lines.
    std::vector<std::string> receive(const BrokerCredentials& credentials, const std::string& id,
                                     const std::vector<std::string>& filters, int count) const {
        std::vector<std::string> command = session(credentials, id, filters);
        command.insert(command.end(), {"-C", std::to_string(count), "-W", "30"});
        const CommandResult finished = runProgram(command);
        EXPECT_EQ(finished.status, 0) << finished.output;
        return lines(finished.output);
    }
};

TEST_F(BrokerTools, AGatewayPublishesUnderItsPrefixOverTlsToAGrantedSubscriber) {
    const BrokerCredentials gateway = _broker.addGateway("hypo_city", "city_01", "street_01");
    const BrokerCredentials reader = _broker.addSubscriber("reader", "hypo_city/#");
    ASSERT_TRUE(openSession(reader, "reader-1", {"hypo_city/#"}));

    const std::string topic = "hypo_city/city_01/street_01/temperature/celcius";
    const CommandResult published = publish(gateway, topic, "2026-01-01 12:00:00.000000\t21.5");
    ASSERT_EQ(published.status, 0) << published.output;

    EXPECT_EQ(receive(reader, "reader-1", {"hypo_city/#"}, 1),
              std::vector<std::string>{topic + " 2026-01-01 12:00:00.000000\t21.5"});
}

TEST_F(BrokerTools, AGatewaysRetainedStatusUnderItsPrefixReachesLaterSubscribers) {
    const BrokerCredentials gateway = _broker.addGateway("hypo_city", "city_01", "street_01");
    const BrokerCredentials reader = _broker.addSubscriber("reader", "hypo_city/#");
    ASSERT_EQ(publish(gateway, "hypo_city/city_01/street_01/status", "online", true).status, 0);

    std::vector<std::string> command = client("mosquitto_sub", reader);
    command.insert(command.end(), {"-t", "hypo_city/+/+/status", "-v", "-C", "1", "-W", "30"});
    const CommandResult finished = runProgram(command);
    EXPECT_EQ(finished.status, 0) << finished.output;
    EXPECT_EQ(finished.output, "hypo_city/city_01/street_01/status online\n");
}

TEST_F(BrokerTools, AGatewayPublishingUnderAnotherStreetNeverReachesASubscriber) {
    const BrokerCredentials gateway = _broker.addGateway("hypo_city", "city_01", "street_01");
    const BrokerCredentials reader = _broker.addSubscriber("reader", "hypo_city/#");
    ASSERT_TRUE(openSession(reader, "reader-1", {"hypo_city/#"}));

    // Mosquitto acknowledges the forbidden publish (QoS 1, MQTT 3.1.1) and drops it.
    EXPECT_EQ(publish(gateway, "hypo_city/city_01/street_02/traffic/traffic_speed", "forbidden").status, 0);
    EXPECT_EQ(publish(gateway, "hypo_city/city_02/street_01/traffic/traffic_speed", "forbidden").status, 0);
    EXPECT_EQ(publish(gateway, "other_system/city_01/street_01/traffic/traffic_speed", "forbidden").status,
              0);
    ASSERT_EQ(publish(gateway, "hypo_city/city_01/street_01/traffic/traffic_speed", "marker").status, 0);

    EXPECT_EQ(receive(reader, "reader-1", {"hypo_city/#", "other_system/#"}, 1),
              std::vector<std::string>{"hypo_city/city_01/street_01/traffic/traffic_speed marker"});
}

TEST_F(BrokerTools, ASubscriberReceivesNothingOutsideItsGrant) {
    const BrokerCredentials street1 = _broker.addGateway("hypo_city", "city_01", "street_01");
    const BrokerCredentials street2 = _broker.addGateway("hypo_city", "city_02", "street_01");
    const BrokerCredentials narrow = _broker.addSubscriber("narrow", "hypo_city/city_01/#");
    // Mosquitto 2.0 acknowledges a subscription outside the grant and then delivers nothing from it.
    ASSERT_TRUE(openSession(narrow, "narrow-1", {"hypo_city/city_02/#", "hypo_city/#"}));

    ASSERT_EQ(publish(street2, "hypo_city/city_02/street_01/air_condition/humidity", "outside").status, 0);
    ASSERT_EQ(publish(street1, "hypo_city/city_01/street_01/air_condition/humidity", "inside").status, 0);

    EXPECT_EQ(receive(narrow, "narrow-1", {"hypo_city/city_02/#", "hypo_city/#"}, 1),
              std::vector<std::string>{"hypo_city/city_01/street_01/air_condition/humidity inside"});
}

TEST_F(BrokerTools, AWildcardFilterInsideTheGrantWorks) {
    const BrokerCredentials gateway = _broker.addGateway("hypo_city", "city_01", "street_01");
    const BrokerCredentials reader = _broker.addSubscriber("temperatures", "hypo_city/+/+/temperature/+");
    ASSERT_TRUE(openSession(reader, "temperatures-1", {"hypo_city/+/+/temperature/+"}));

    ASSERT_EQ(publish(gateway, "hypo_city/city_01/street_01/air_condition/humidity", "55").status, 0);
    ASSERT_EQ(publish(gateway, "hypo_city/city_01/street_01/temperature/celcius", "21.5").status, 0);

    EXPECT_EQ(receive(reader, "temperatures-1", {"hypo_city/+/+/temperature/+"}, 1),
              std::vector<std::string>{"hypo_city/city_01/street_01/temperature/celcius 21.5"});
}

TEST_F(BrokerTools, AWrongPasswordAnUnknownUserAndNoLoginAreRefused) {
    const BrokerCredentials reader = _broker.addSubscriber("reader", "hypo_city/#");
    BrokerCredentials wrong = reader;
    wrong.password += "x";
    BrokerCredentials unknown = reader;
    unknown.username = "nobody";
    for (const BrokerCredentials& credentials : {wrong, unknown}) {
        std::vector<std::string> command = client("mosquitto_sub", credentials);
        command.insert(command.end(), {"-t", "hypo_city/#", "-C", "1", "-W", "30"});
        const CommandResult finished = runProgram(command);
        EXPECT_NE(finished.status, 0) << credentials.username;
        EXPECT_NE(finished.output.find("Connection Refused: not authorised"), std::string::npos)
            << finished.output;
    }
    const CommandResult anonymous =
        runProgram({"mosquitto_sub", "-h", "127.0.0.1", "-p", std::to_string(_broker.tlsPort()), "--cafile",
                    _broker.caFile(), "-t", "hypo_city/#", "-C", "1", "-W", "30"});
    EXPECT_NE(anonymous.status, 0);
    EXPECT_NE(anonymous.output.find("Connection Refused: not authorised"), std::string::npos)
        << anonymous.output;
}

TEST_F(BrokerTools, AServerCertificateFromAnotherCaFailsVerification) {
    const BrokerCredentials reader = _broker.addSubscriber("reader", "hypo_city/#");
    const std::string other = _broker.directory() + "/other-ca";
    ASSERT_EQ(runProgram({tools + "make-certs", other}).status, 0);

    std::vector<std::string> command = client("mosquitto_sub", reader, other + "/ca.crt");
    command.insert(command.end(), {"-t", "hypo_city/#", "-C", "1", "-W", "30", "-d"});
    const CommandResult finished = runProgram(command);
    EXPECT_NE(finished.status, 0);
    EXPECT_NE(finished.output.find("certificate verify failed"), std::string::npos) << finished.output;
    EXPECT_EQ(finished.output.find("CONNACK"), std::string::npos) << finished.output;
}

TEST_F(BrokerTools, TheServerCertificateNamesLocalhostAnd127001) {
    const BrokerCredentials reader = _broker.addSubscriber("reader", "hypo_city/#");
    for (const std::string host : {"localhost", "127.0.0.1"}) {
        std::vector<std::string> command = client("mosquitto_sub", reader);
        command[2] = host;
        command.insert(command.end(), {"-t", "hypo_city/#", "-E"});
        const CommandResult finished = runProgram(command);
        EXPECT_EQ(finished.status, 0) << host << ": " << finished.output;
    }
}

TEST_F(BrokerTools, Tls11IsRefusedAndTls12And13Accepted) {
    const std::string address = "127.0.0.1:" + std::to_string(_broker.tlsPort());
    // The client allows TLS 1.1 (security level 0); the broker answers with a protocol_version alert.
    const CommandResult tls11 =
        runProgram({"openssl", "s_client", "-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0", "-connect", address});
    EXPECT_NE(tls11.status, 0) << tls11.output;
    EXPECT_NE(tls11.output.find("alert protocol version"), std::string::npos) << tls11.output;

    for (const std::string version : {"-tls1_2", "-tls1_3"}) {
        const CommandResult finished = runProgram({"openssl", "s_client", version, "-connect", address,
                                                   "-CAfile", _broker.caFile(), "-verify_return_error"});
        EXPECT_EQ(finished.status, 0) << finished.output;
        EXPECT_NE(finished.output.find("Verify return code: 0 (ok)"), std::string::npos) << finished.output;
    }
}

TEST_F(BrokerTools, Tls12OffersOnlyForwardSecretAeadSuites) {
    const std::string address = "127.0.0.1:" + std::to_string(_broker.tlsPort());
    for (const char* weak :
         {"AES128-SHA", "ECDHE-ECDSA-AES128-SHA", "ECDHE-ECDSA-AES256-SHA384", "AES128-GCM-SHA256"}) {
        const CommandResult refused =
            runProgram({"openssl", "s_client", "-tls1_2", "-cipher", weak, "-connect", address});
        EXPECT_NE(refused.status, 0) << weak << ": " << refused.output;
    }
    for (const char* strong : {"ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-ECDSA-CHACHA20-POLY1305"}) {
        const CommandResult accepted =
            runProgram({"openssl", "s_client", "-tls1_2", "-cipher", strong, "-connect", address, "-CAfile",
                        _broker.caFile(), "-verify_return_error"});
        EXPECT_EQ(accepted.status, 0) << strong << ": " << accepted.output;
    }
}

TEST_F(BrokerTools, PlainMqttToTheTlsPortIsNotAnswered) {
    const BrokerCredentials reader = _broker.addSubscriber("reader", "hypo_city/#");
    const CommandResult client =
        runProgram({"mosquitto_pub", "-h", "127.0.0.1", "-p", std::to_string(_broker.tlsPort()), "-u",
                    reader.username, "-P", reader.password, "-t", "hypo_city/x", "-m", "plain"});
    EXPECT_NE(client.status, 0) << client.output;

    // An MQTT 3.1.1 CONNECT by hand: the broker closes the connection without a CONNACK.
    const int socket = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    ASSERT_GE(socket, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(static_cast<std::uint16_t>(_broker.tlsPort()));
    ASSERT_EQ(::connect(socket, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
    const timeval hangLimit{30, 0};
    ::setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &hangLimit, sizeof hangLimit);
    const unsigned char connect[] = {0x10, 0x0d, 0x00, 0x04, 'M',  'Q',  'T', 'T',
                                     0x04, 0x02, 0x00, 0x3c, 0x00, 0x01, 'x'};
    ASSERT_EQ(::send(socket, connect, sizeof connect, MSG_NOSIGNAL), static_cast<ssize_t>(sizeof connect));
    std::string answer;
    char buffer[256];
    ssize_t count = 0;
    while ((count = ::recv(socket, buffer, sizeof buffer, 0)) > 0)
        answer.append(buffer, static_cast<std::size_t>(count));
    const int error = errno;
    ::close(socket);
    EXPECT_TRUE(count == 0 || error == ECONNRESET) << "the connection stayed open: " << std::strerror(error);
    EXPECT_TRUE(answer.empty() || answer[0] != 0x20) << "a CONNACK came back";
}

TEST_F(BrokerTools, StopAndStartKeepAPersistentSessionsQueuedMessages) {
    const BrokerCredentials gateway = _broker.addGateway("hypo_city", "city_01", "street_01");
    const BrokerCredentials reader = _broker.addSubscriber("reader", "hypo_city/#");
    ASSERT_TRUE(openSession(reader, "keeper", {"hypo_city/#"}));
    const std::string topic = "hypo_city/city_01/street_01/air_pollution/no2_level";
    for (const std::string value : {"1", "2", "3"})
        ASSERT_EQ(publish(gateway, topic, value).status, 0);

    const unsigned port = _broker.tlsPort();
    _broker.stop();
    EXPECT_FALSE(_broker.running());
    EXPECT_NE(publish(gateway, topic, "while stopped").status, 0);
    _broker.start();
    EXPECT_TRUE(_broker.running());
    EXPECT_EQ(_broker.tlsPort(), port);

    EXPECT_EQ(receive(reader, "keeper", {"hypo_city/#"}, 3),
              (std::vector<std::string>{topic + " 1", topic + " 2", topic + " 3"}));
    // Identities provisioned before the restart still log in, and new ones can be added.
    const BrokerCredentials later = _broker.addGateway("hypo_city", "city_01", "street_02");
    EXPECT_EQ(publish(later, "hypo_city/city_01/street_02/status", "online").status, 0);
}

TEST_F(BrokerTools, AnIdentityAskingForAnothersClientIdGetsItsOwnAndLeavesTheirSessionAlone) {
    const BrokerCredentials gateway = _broker.addGateway("hypo_city", "city_01", "street_01");
    const BrokerCredentials reader = _broker.addSubscriber("reader", "hypo_city/#");
    ASSERT_TRUE(openSession(reader, reader.username, {"hypo_city/#"}));
    // With a clean session under the reader's id, the gateway would end the reader's session and
    // everything queued in it.
    const std::string topic = "hypo_city/city_01/street_01/air_condition/pressure";
    for (const std::string value : {"1", "2", "3"})
        ASSERT_EQ(publish(gateway, topic, value, false, reader.username).status, 0);

    EXPECT_EQ(receive(reader, reader.username, {"hypo_city/#"}, 3),
              (std::vector<std::string>{topic + " 1", topic + " 2", topic + " 3"}));
    EXPECT_NE(readFile(_broker.directory() + "/mosquitto.log").find(" as gw_city_01_street_01 ("),
              std::string::npos)
        << "the gateway's connections are not named after its user name";
}

TEST(BrokerPlainListener, HasTheSamePasswordsAclAndClientIds) {
    Broker::Settings settings;
    settings.plainListener = true;
    Broker broker(settings);
    ASSERT_NE(broker.plainPort(), 0u);
    EXPECT_EQ(broker.plainUri(), "tcp://127.0.0.1:" + std::to_string(broker.plainPort()));
    const BrokerCredentials gateway = broker.addGateway("hypo_city", "city_01", "street_01");
    const BrokerCredentials reader = broker.addSubscriber("reader", "hypo_city/#");
    const auto plain = [&](const std::string& program, const BrokerCredentials& credentials) {
        return std::vector<std::string>{program,
                                        "-h",
                                        "127.0.0.1",
                                        "-p",
                                        std::to_string(broker.plainPort()),
                                        "-u",
                                        credentials.username,
                                        "-P",
                                        credentials.password,
                                        "-q",
                                        "1"};
    };
    std::vector<std::string> subscribe = plain("mosquitto_sub", reader);
    subscribe.insert(subscribe.end(), {"-c", "-i", reader.username, "-t", "hypo_city/#", "-v"});
    std::vector<std::string> command = subscribe;
    command.push_back("-E");
    ASSERT_EQ(runProgram(command).status, 0);
    for (const auto& [topic, payload] :
         {std::pair<std::string, std::string>{"hypo_city/city_09/x", "forbidden"},
          {"hypo_city/city_01/street_01/x", "marker"}}) {
        // The reader's client id: the gateway gets its own, and the reader's session stays.
        command = plain("mosquitto_pub", gateway);
        command.insert(command.end(), {"-t", topic, "-m", payload, "-i", reader.username});
        ASSERT_EQ(runProgram(command).status, 0);
    }
    command = subscribe;
    command.insert(command.end(), {"-C", "1", "-W", "30"});
    EXPECT_EQ(runProgram(command).output, "hypo_city/city_01/street_01/x marker\n");

    BrokerCredentials wrong = reader;
    wrong.password += "x";
    command = plain("mosquitto_sub", wrong);
    command.insert(command.end(), {"-t", "hypo_city/#", "-C", "1", "-W", "30"});
    EXPECT_NE(runProgram(command).output.find("not authorised"), std::string::npos);
}

TEST_F(BrokerTools, AddGatewayRefusesAnExistingUserAndBadTopicLevels) {
    _broker.addGateway("hypo_city", "city_01", "street_01");
    const std::string directory = _broker.directory();

    CommandResult finished =
        runProgram({tools + "add-gateway", "--dir", directory, "hypo_city/city_01/street_01"});
    EXPECT_NE(finished.status, 0);
    EXPECT_NE(finished.output.find("the user 'gw_city_01_street_01' exists already"), std::string::npos)
        << finished.output;
    EXPECT_THROW(_broker.addGateway("hypo_city", "city_01", "street_01"), std::runtime_error);

    for (const std::string prefix :
         {"hypo_city/city+01/street_01", "hypo_city/city_01/#", "hypo_city/city 01/x"}) {
        finished = runProgram({tools + "add-gateway", "--dir", directory, prefix, "--user", "new_user"});
        EXPECT_NE(finished.status, 0) << prefix;
        EXPECT_NE(finished.output.find("may not hold '+', '#', '/' or spaces"), std::string::npos)
            << finished.output;
    }
    for (const std::string prefix : {"hypo_city/city_01/street_01/extra", "hypo_city/city_01"}) {
        finished = runProgram({tools + "add-gateway", "--dir", directory, prefix, "--user", "new_user"});
        EXPECT_NE(finished.status, 0) << prefix;
        EXPECT_NE(finished.output.find("is not SYSTEM/CITY/STREET"), std::string::npos) << finished.output;
    }
    finished = runProgram({tools + "add-subscriber", "--dir", directory, "reader", "hypo_city/#/x"});
    EXPECT_NE(finished.status, 0);
    EXPECT_NE(finished.output.find("is not an MQTT topic filter"), std::string::npos) << finished.output;

    // Nothing of the refused identities reached the broker's files.
    EXPECT_EQ(readFile(directory + "/acl"),
              "user gw_city_01_street_01\ntopic write hypo_city/city_01/street_01/#\n"
              "topic read config/hypo_city/city_01/street_01/desired\n"
              "topic write config/hypo_city/city_01/street_01/reported\n");
    EXPECT_EQ(lines(readFile(directory + "/passwd")).size(), 1u);
}

TEST_F(BrokerTools, AddOperatorMayWriteDesiredDocumentsOnlyAndTakesOneName) {
    const std::string directory = _broker.directory();
    const CommandResult added = runProgram({tools + "add-operator", "--dir", directory, "config_operator"});
    ASSERT_EQ(added.status, 0) << added.output;
    EXPECT_EQ(readFile(directory + "/acl"),
              "user config_operator\ntopic write config/+/+/+/desired\ntopic read config/#\n");
    EXPECT_NE(runProgram({tools + "add-operator", "--dir", directory, "config_operator"}).status, 0);
    const CommandResult twoNames = runProgram({tools + "add-operator", "--dir", directory, "a", "b"});
    EXPECT_EQ(twoNames.status, 64);
    EXPECT_NE(twoNames.output.find("usage: tools/add-operator"), std::string::npos) << twoNames.output;
}

TEST_F(BrokerTools, AddGatewayUsesAGivenPasswordFileAndKeepsSecretsPrivate) {
    const std::string passwordFile = _broker.directory() + "/given.password";
    std::ofstream(passwordFile) << "a given password\n";
    const CommandResult finished =
        runProgram({tools + "add-gateway", "--dir", _broker.directory(), "hypo_city/city_01/street_07",
                    "--user", "street7", "--password-file", passwordFile});
    ASSERT_EQ(finished.status, 0) << finished.output;
    EXPECT_EQ(finished.output.find("a given password"), std::string::npos) << "the password was printed";
    EXPECT_EQ(readFile(_broker.directory() + "/passwd").find("a given password"), std::string::npos);

    const BrokerCredentials generated = _broker.addGateway("hypo_city", "city_01", "street_08");
    for (const std::string& path :
         {generated.passwordFile, generated.keyFile, _broker.directory() + "/certs/ca.key"}) {
        struct stat status {};
        ASSERT_EQ(::stat(path.c_str(), &status), 0) << path;
        EXPECT_EQ(status.st_mode & 0777, 0600u) << path;
    }
    EXPECT_GE(generated.password.size(), 32u);
}

TEST(BrokerScript, RunsInTheBackgroundWithAPidFileAndReportsATakenPort) {
    TemporaryDirectory directory;
    const std::string pidFile = directory.path() + "/broker.pid";
    ListeningSocket reserved;
    const unsigned port = reserved.port();
    reserved.close();
    const CommandResult started = runProgram(
        {tools + "broker", "--dir", directory.path(), "--port", std::to_string(port), "--pidfile", pidFile});
    ASSERT_EQ(started.status, 0) << started.output << readFile(directory.path() + "/mosquitto.log");
    const pid_t pid = std::stoi(readFile(pidFile));
    // Mosquitto removes its pid file when it ends; a failed assertion must not leave it running.
    const auto stopBroker = [&] {
        if (std::filesystem::exists(pidFile))
            ::kill(pid, SIGTERM);
        return eventually([&] { return !std::filesystem::exists(pidFile); });
    };
    struct StopOnExit {
        std::function<bool()> stop;
        ~StopOnExit() { stop(); }
    } stopOnExit{stopBroker};

    const CommandResult again =
        runProgram({tools + "broker", "--dir", directory.path(), "--port", std::to_string(port)});
    EXPECT_NE(again.status, 0);
    EXPECT_NE(again.output.find("already runs"), std::string::npos) << again.output;

    const CommandResult added =
        runProgram({tools + "add-gateway", "--dir", directory.path(), "hypo_city/city_01/street_01"});
    EXPECT_EQ(added.status, 0) << added.output;
    EXPECT_NE(added.output.find("reloaded (pid " + std::to_string(pid)), std::string::npos) << added.output;
    ASSERT_TRUE(stopBroker());

    ListeningSocket taken;
    const CommandResult refused = runProgram({tools + "broker", "--dir", directory.path(), "--port",
                                              std::to_string(taken.port()), "--pidfile", pidFile});
    EXPECT_NE(refused.status, 0);
    EXPECT_NE(refused.output.find("Address already in use"), std::string::npos) << refused.output;

    const CommandResult notRunning =
        runProgram({tools + "add-gateway", "--dir", directory.path(), "hypo_city/city_01/street_02"});
    EXPECT_EQ(notRunning.status, 0) << notRunning.output;
    EXPECT_NE(notRunning.output.find("reload the broker to apply"), std::string::npos) << notRunning.output;
}

TEST(MakeCerts, AWideOpenUmaskMakesNothingWritableOrKeysReadableByOthers) {
    TemporaryDirectory directory;
    const std::string certs = directory.path() + "/new/certs";
    const CommandResult finished = runProgram(
        {"bash", "-c", "umask 000 && exec \"$0\" \"$1\" --client reader", tools + "make-certs", certs});
    ASSERT_EQ(finished.status, 0) << finished.output;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(directory.path() + "/new")) {
        const auto permissions = entry.status().permissions();
        EXPECT_EQ(permissions & std::filesystem::perms::others_write, std::filesystem::perms::none)
            << entry.path();
        EXPECT_EQ(permissions & std::filesystem::perms::group_write, std::filesystem::perms::none)
            << entry.path();
        if (entry.path().extension() == ".key") {
            EXPECT_EQ(permissions & std::filesystem::perms::others_read, std::filesystem::perms::none)
                << entry.path();
        }
    }
}

TEST(MakeCerts, MakesACaAServerAndClientCertificatesAndKeepsTheCa) {
    TemporaryDirectory directory;
    const std::string certs = directory.path() + "/certs";
    CommandResult finished = runProgram({tools + "make-certs", certs, "--server-name", "broker.example",
                                         "--server-name", "10.1.2.3", "--client", "city_01_street_01"});
    ASSERT_EQ(finished.status, 0) << finished.output;
    const std::string ca = readFile(certs + "/ca.crt");
    const std::string server = readFile(certs + "/server.crt");

    finished = runProgram({tools + "make-certs", certs, "--client", "reader"});
    ASSERT_EQ(finished.status, 0) << finished.output;
    EXPECT_EQ(readFile(certs + "/ca.crt"), ca);
    EXPECT_EQ(readFile(certs + "/server.crt"), server)
        << "without --server-name the server certificate stays";
    EXPECT_EQ(finished.output.find("server"), std::string::npos) << finished.output;

    finished = runProgram({"openssl", "verify", "-CAfile", certs + "/ca.crt", certs + "/server.crt",
                           certs + "/clients/city_01_street_01.crt", certs + "/clients/reader.crt"});
    EXPECT_EQ(finished.status, 0) << finished.output;

    finished = runProgram({"openssl", "x509", "-in", certs + "/server.crt", "-noout", "-text"});
    EXPECT_NE(
        finished.output.find("DNS:localhost, IP Address:127.0.0.1, DNS:broker.example, IP Address:10.1.2.3"),
        std::string::npos)
        << finished.output;
    EXPECT_NE(finished.output.find("TLS Web Server Authentication"), std::string::npos);
    EXPECT_NE(finished.output.find("ecdsa-with-SHA256"), std::string::npos);
    EXPECT_NE(finished.output.find("prime256v1"), std::string::npos);

    finished =
        runProgram({"openssl", "x509", "-in", certs + "/clients/city_01_street_01.crt", "-noout", "-text"});
    EXPECT_NE(finished.output.find("CN = city_01_street_01"), std::string::npos) << finished.output;
    EXPECT_NE(finished.output.find("TLS Web Client Authentication"), std::string::npos) << finished.output;

    for (const std::string key :
         {"ca.key", "server.key", "clients/city_01_street_01.key", "clients/reader.key"}) {
        struct stat status {};
        ASSERT_EQ(::stat((certs + "/" + key).c_str(), &status), 0) << key;
        EXPECT_EQ(status.st_mode & 0777, 0600u) << key;
    }

    finished = runProgram({tools + "make-certs", certs, "--client", "bad/name"});
    EXPECT_NE(finished.status, 0);
    EXPECT_NE(finished.output.find("may hold only"), std::string::npos) << finished.output;
}

}  // namespace
}  // namespace citysense
