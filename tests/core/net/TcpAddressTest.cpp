// core/net: "HOST:PORT" read by the one rule set of every caller (what is wrong with one said naming it)
// and resolved as the host's listener and the MQTT client's probes need it, and a TCP connection made, or
// refused with its reason, against real sockets on loopback.
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

/// What splitHostPort() says of `address`; "" when it reads it.
std::string refusalOf(const std::string& address, AddressUse use = AddressUse::Connect,
                      unsigned defaultPort = 0) {
    try {
        splitHostPort(address, use, defaultPort);
        return "";
    } catch (const std::invalid_argument& error) {
        return error.what();
    }
}

TEST(TcpAddress, HostAndPortAreSplitAndIpv6BracketsDropped) {
    HostPort split = splitHostPort("127.0.0.1:8180", AddressUse::Connect);
    EXPECT_EQ(split.host, "127.0.0.1");
    EXPECT_EQ(split.port, 8180u);
    split = splitHostPort("[::1]:8883", AddressUse::Connect);
    EXPECT_EQ(split.host, "::1");
    EXPECT_EQ(split.port, 8883u);
    split = splitHostPort("broker.example-city.org:1", AddressUse::Connect);
    EXPECT_EQ(split.host, "broker.example-city.org");
    EXPECT_EQ(split.port, 1u);
    EXPECT_EQ(splitHostPort("galera_1:65535", AddressUse::Connect).port, 65535u);
}

TEST(TcpAddress, ACallersDefaultPortStandsForAMissingOne) {
    HostPort split = splitHostPort("broker", AddressUse::Connect, 1883);
    EXPECT_EQ(split.host, "broker");
    EXPECT_EQ(split.port, 1883u);
    split = splitHostPort("[fe80::1]", AddressUse::Connect, 1883);
    EXPECT_EQ(split.host, "fe80::1");
    EXPECT_EQ(split.port, 1883u);
    EXPECT_EQ(splitHostPort("broker:8883", AddressUse::Connect, 1883).port, 8883u);
    EXPECT_EQ(refusalOf("8180"), "'8180' is not HOST:PORT (e.g. 127.0.0.1:8180, [::1]:8180)");
    EXPECT_EQ(refusalOf("[::1]"), "'[::1]' is not HOST:PORT (e.g. 127.0.0.1:8180, [::1]:8180)");
}

TEST(TcpAddress, OnlyAListenerMayAskForPortZero) {
    EXPECT_EQ(splitHostPort("127.0.0.1:0", AddressUse::Listen).port, 0u);
    EXPECT_EQ(refusalOf("127.0.0.1:0"), "'127.0.0.1:0' has port '0', not a number from 1 to 65535");
    EXPECT_EQ(refusalOf("127.0.0.1:65536", AddressUse::Listen),
              "'127.0.0.1:65536' has port '65536', not a number from 0 to 65535");
}

TEST(TcpAddress, WhatIsWrongWithAnAddressIsSaidNamingIt) {
    EXPECT_EQ(refusalOf("broker:"), "'broker:' has port '', not a number from 1 to 65535");
    EXPECT_EQ(refusalOf("broker:mqtt"), "'broker:mqtt' has port 'mqtt', not a number from 1 to 65535");
    EXPECT_EQ(refusalOf("broker:-1", AddressUse::Connect, 1883),
              "'broker:-1' has port '-1', not a number from 1 to 65535");
    EXPECT_EQ(refusalOf("broker:1883 "), "'broker:1883 ' has port '1883 ', not a number from 1 to 65535");
    EXPECT_EQ(refusalOf("broker:000001883"),
              "'broker:000001883' has port '000001883', not a number from 1 to 65535");
    EXPECT_EQ(refusalOf(":8180"), "':8180' has no host");
    EXPECT_EQ(refusalOf(":8180", AddressUse::Listen),
              "':8180' has no host (0.0.0.0 or [::] listens on every address)");
    EXPECT_EQ(refusalOf("", AddressUse::Connect, 1883), "'' has no host");
    EXPECT_EQ(refusalOf("::1:8180"),
              "'::1:8180' has an IPv6 address without brackets: write [IPv6]:PORT, e.g. [::1]:8180");
    EXPECT_EQ(refusalOf("::1", AddressUse::Connect, 1883),
              "'::1' has an IPv6 address without brackets: write [IPv6]:PORT, e.g. [::1]:8180");
    EXPECT_EQ(refusalOf("[::1:8180"), "'[::1:8180' has a '[' without its ']'");
    EXPECT_EQ(refusalOf("[::1]8180"), "'[::1]8180' has '8180' after its ']', not :PORT");
    EXPECT_EQ(refusalOf("[broker]:8180"), "'[broker]:8180' has 'broker' in brackets, not an IPv6 address");
    EXPECT_EQ(refusalOf("[]:8180"), "'[]:8180' has '' in brackets, not an IPv6 address");
    EXPECT_EQ(refusalOf("a b:80"), "'a b:80' has host 'a b', neither an IP address nor a host name");
    EXPECT_EQ(refusalOf("db;user=root:3306"),
              "'db;user=root:3306' has host 'db;user=root', neither an IP address nor a host name");
}

TEST(TcpAddress, HostAndPortAreJoinedAsTheyAreRead) {
    EXPECT_EQ(joinHostPort("127.0.0.1", 8180), "127.0.0.1:8180");
    EXPECT_EQ(joinHostPort("broker", 1883), "broker:1883");
    EXPECT_EQ(joinHostPort("::1", 8883), "[::1]:8883");
    const HostPort split = splitHostPort(joinHostPort("fe80::1", 3306), AddressUse::Connect);
    EXPECT_EQ(split.host, "fe80::1");
    EXPECT_EQ(split.port, 3306u);
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
    EXPECT_EQ(listenAddress("[::1]:0").family, AF_INET6);
    EXPECT_THROW(listenAddress("8180"), std::runtime_error);
    EXPECT_THROW(listenAddress(":0"), std::runtime_error);
}

TEST(TcpAddress, ANameResolvesAndWhatCannotIsNamed) {
    const auto addresses = resolve("127.0.0.1:0", true);
    ASSERT_FALSE(addresses.empty());
    EXPECT_EQ(addresses.front().family, AF_INET);
    EXPECT_FALSE(resolve("localhost:8180", false).empty());
    EXPECT_THROW(resolve("8180", true), std::runtime_error);
    try {
        resolve("no-such-host.invalid:80", false);
        ADD_FAILURE() << "resolved";
    } catch (const std::runtime_error& error) {
        EXPECT_THAT(error.what(), HasSubstr("cannot resolve 'no-such-host.invalid:80'"));
    }
    try {
        resolve("no such host:80", false);
        ADD_FAILURE() << "resolved";
    } catch (const std::runtime_error& error) {
        EXPECT_THAT(error.what(), HasSubstr("'no such host:80' has host 'no such host'"));
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
