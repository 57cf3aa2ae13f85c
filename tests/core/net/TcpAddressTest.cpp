// core/net: "HOST:PORT" split and resolved as the host's listener and the MQTT client's probes need it,
// and a TCP connection made, or refused with its reason, against real sockets on loopback.
#include <net/TcpAddress.h>
#include <net/TcpConnection.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>
#include <string>

namespace citysense::net {
namespace {

using ::testing::HasSubstr;

/// A listening socket on 127.0.0.1 at a port the system chose; closed with the object.
class Listener {
public:
    Listener() {
        _fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t length = sizeof address;
        if (::bind(_fd, reinterpret_cast<sockaddr*>(&address), length) != 0 || ::listen(_fd, 4) != 0 ||
            ::getsockname(_fd, reinterpret_cast<sockaddr*>(&address), &length) != 0)
            throw std::runtime_error("cannot listen on loopback");
        _port = ntohs(address.sin_port);
    }
    ~Listener() { ::close(_fd); }
    Listener(const Listener&) = delete;
    Listener& operator=(const Listener&) = delete;

    std::string address() const { return "127.0.0.1:" + std::to_string(_port); }

private:
    int _fd = -1;
    unsigned _port = 0;
};

TEST(TcpAddress, HostAndPortAreSplitAndIpv6BracketsDropped) {
    std::string host;
    std::string port;
    ASSERT_TRUE(splitHostPort("127.0.0.1:8180", host, port));
    EXPECT_EQ(host, "127.0.0.1");
    EXPECT_EQ(port, "8180");
    ASSERT_TRUE(splitHostPort("[::1]:8883", host, port));
    EXPECT_EQ(host, "::1");
    EXPECT_EQ(port, "8883");
    EXPECT_FALSE(splitHostPort("8180", host, port));
    EXPECT_FALSE(splitHostPort("broker:", host, port));
}

TEST(TcpAddress, NumericAddressesAreToldFromNames) {
    EXPECT_TRUE(isIpAddress("10.0.0.1"));
    EXPECT_TRUE(isIpAddress("::1"));
    EXPECT_FALSE(isIpAddress("localhost"));
    EXPECT_FALSE(isIpAddress("[::1]"));
    EXPECT_FALSE(isIpAddress("10.0.0"));
}

TEST(TcpAddress, AListenerPrefersIpv4SoThatLocalhostIsReachedOverEither) {
    EXPECT_EQ(listenAddress("localhost:0").family, AF_INET);
    EXPECT_EQ(listenAddress(":0").family, AF_INET);
    EXPECT_EQ(listenAddress("[::1]:0").family, AF_INET6);
    EXPECT_THROW(listenAddress("8180"), std::runtime_error);
}

TEST(TcpAddress, ANameResolvesAndWhatCannotIsNamed) {
    const auto addresses = resolve("127.0.0.1:0", true);
    ASSERT_FALSE(addresses.empty());
    EXPECT_EQ(addresses.front().family, AF_INET);
    EXPECT_FALSE(resolve("localhost:8180", false).empty());
    EXPECT_THROW(resolve("8180", true), std::runtime_error);
    try {
        resolve("no such host:80", false);
        ADD_FAILURE() << "resolved";
    } catch (const std::runtime_error& error) {
        EXPECT_THAT(error.what(), HasSubstr("cannot resolve 'no such host:80'"));
    }
}

TEST(TcpConnection, ConnectsToAListeningPort) {
    const Listener listener;
    const TcpConnection connection(listener.address(), std::chrono::seconds(2));
    EXPECT_GE(connection.fd(), 0);
}

TEST(TcpConnection, AClosedPortIsRefusedWithItsReason) {
    std::string closed;
    {
        const Listener listener;
        closed = listener.address();
    }
    try {
        const TcpConnection connection(closed, std::chrono::seconds(2));
        ADD_FAILURE() << "connected to " << closed;
    } catch (const std::runtime_error& error) {
        EXPECT_THAT(error.what(), HasSubstr("refused"));
    }
}

}  // namespace
}  // namespace citysense::net
