// The MQTT clients offer TLS 1.2 with forward secret, authenticated encryption only: against a server
// (openssl s_server) that allows nothing but a CBC/SHA-1 suite, the handshake fails and says why;
// against one that allows an AES-GCM suite, it succeeds.
#include <Programs.h>
#include <mqtt-client/Connection.h>
#include <mqtt-client/TlsProbe.h>

#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>
#include <thread>

namespace citysense::mqtt {
namespace {

class ClientCiphers : public ::testing::Test {
protected:
    void SetUp() override {
        _directory = std::filesystem::temp_directory_path() /
                     ("citysense-ciphers-" + std::to_string(::getpid()) + "-" +
                      ::testing::UnitTest::GetInstance()->current_test_info()->name());
        test::runChecked({std::string(CITYSENSE_SOURCE_DIR) + "/tools/make-certs", _directory.string()});
    }
    void TearDown() override {
        if (_server > 0) {
            ::kill(_server, SIGTERM);
            test::waitForExit(_server);
        }
        std::filesystem::remove_all(_directory);
    }

    /// An openssl s_server on a free loopback port allowing TLS 1.2 with only `cipher`; its address.
    /// (-www: it answers each connection itself instead of ending when its standard input does.)
    std::string serverAllowing(const std::string& cipher) {
        const unsigned port = test::freePorts(1).at(0);
        _server = test::startProgram(
            {"openssl", "s_server", "-www", "-accept", "127.0.0.1:" + std::to_string(port), "-tls1_2",
             "-cipher", cipher, "-cert", certs("server.crt"), "-key", certs("server.key")},
            (_directory / "server.log").string());
        const std::string address = "127.0.0.1:" + std::to_string(port);
        for (int attempt = 0; attempt < 100; ++attempt) {
            if (test::readFile((_directory / "server.log").string()).find("ACCEPT") != std::string::npos)
                break;
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        return address;
    }

    ConnectionSettings settings(const std::string& address) const {
        ConnectionSettings settings;
        settings.uri = "ssl://" + address;
        settings.clientId = "cipher-test";
        settings.caFile = certs("ca.crt");
        settings.connectTimeout = std::chrono::milliseconds(5000);
        return settings;
    }

    std::string certs(const std::string& name) const { return (_directory / name).string(); }

private:
    std::filesystem::path _directory;
    pid_t _server = -1;
};

TEST_F(ClientCiphers, ACbcSha1OnlyServerIsRefused) {
    const std::string address = serverAllowing("ECDHE-ECDSA-AES128-SHA");
    const std::string problem = tlsHandshakeProblem(address, settings(address));
    EXPECT_NE(problem.find("handshake failure"), std::string::npos) << problem;
    Client client(settings(address));
    EXPECT_THROW(client.connect(), std::runtime_error);
}

TEST_F(ClientCiphers, AnAesGcmServerShakesHands) {
    const std::string address = serverAllowing("ECDHE-ECDSA-AES128-GCM-SHA256");
    EXPECT_EQ(tlsHandshakeProblem(address, settings(address)),
              "the handshake succeeds when tried again (the broker may have been busy)");
}

}  // namespace
}  // namespace citysense::mqtt
