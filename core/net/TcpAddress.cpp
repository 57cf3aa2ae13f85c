#include "TcpAddress.h"

#include <arpa/inet.h>
#include <netdb.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <stdexcept>

namespace citysense::net {

namespace {

bool isIpv6Address(const std::string& host) {
    unsigned char bytes[sizeof(in6_addr)];
    return inet_pton(AF_INET6, host.c_str(), bytes) == 1;
}

bool isHostName(const std::string& host) {
    return !host.empty() && host.find_first_not_of(
                                "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                "0123456789.-_") == std::string::npos;
}

}  // namespace

HostPort splitHostPort(const std::string& address, AddressUse use, unsigned defaultPort) {
    const auto refusal = [&](const std::string& why) {
        return std::invalid_argument("'" + address + "' " + why);
    };
    HostPort split{"", defaultPort};
    std::string rest;  // after the host: empty or ":PORT"
    if (!address.empty() && address.front() == '[') {
        const auto close = address.find(']');
        if (close == std::string::npos)
            throw refusal("has a '[' without its ']'");
        split.host = address.substr(1, close - 1);
        if (!isIpv6Address(split.host))
            throw refusal("has '" + split.host + "' in brackets, not an IPv6 address");
        rest = address.substr(close + 1);
        if (!rest.empty() && rest.front() != ':')
            throw refusal("has '" + rest + "' after its ']', not :PORT");
    } else {
        const auto colon = address.rfind(':');
        split.host = address.substr(0, colon);
        rest = colon == std::string::npos ? "" : address.substr(colon);
        if (split.host.find(':') != std::string::npos)
            throw refusal("has an IPv6 address without brackets: write [IPv6]:PORT, e.g. [::1]:8180");
        if (split.host.empty())
            throw refusal(use == AddressUse::Listen ? "has no host (0.0.0.0 or [::] listens on every address)"
                                                    : "has no host");
        if (!isIpAddress(split.host) && !isHostName(split.host))
            throw refusal("has host '" + split.host + "', neither an IP address nor a host name");
    }
    if (rest.empty()) {
        if (defaultPort == 0)
            throw refusal("is not HOST:PORT (e.g. 127.0.0.1:8180, [::1]:8180)");
        return split;
    }
    const std::string port = rest.substr(1);
    const unsigned lowest = use == AddressUse::Listen ? 0 : 1;
    const bool digits =
        !port.empty() && port.size() <= 5 && port.find_first_not_of("0123456789") == std::string::npos;
    if (!digits || std::stoul(port) < lowest || std::stoul(port) > 65535)
        throw refusal("has port '" + port + "', not a number from " + std::to_string(lowest) + " to 65535");
    split.port = static_cast<unsigned>(std::stoul(port));
    return split;
}

std::string joinHostPort(const std::string& host, unsigned port) {
    const bool ipv6 = host.find(':') != std::string::npos;
    return (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

bool isIpAddress(const std::string& host) {
    unsigned char bytes[sizeof(in6_addr)];
    return inet_pton(AF_INET, host.c_str(), bytes) == 1 || inet_pton(AF_INET6, host.c_str(), bytes) == 1;
}

std::vector<SocketAddress> resolve(const std::string& address, bool listening) {
    HostPort split;
    try {
        split = splitHostPort(address, listening ? AddressUse::Listen : AddressUse::Connect);
    } catch (const std::invalid_argument& error) {
        throw std::runtime_error(error.what());
    }
    const std::string port = std::to_string(split.port);
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICSERV | (listening ? AI_PASSIVE : 0);
    addrinfo* found = nullptr;
    const int status = getaddrinfo(split.host.c_str(), port.c_str(), &hints, &found);
    if (status != 0)
        throw std::runtime_error("cannot resolve '" + address + "': " + gai_strerror(status));
    const std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> owned(found, freeaddrinfo);
    std::vector<SocketAddress> addresses;
    for (const addrinfo* item = found; item; item = item->ai_next) {
        if (item->ai_addrlen > sizeof(sockaddr_storage))
            continue;
        SocketAddress resolved;
        std::memcpy(&resolved.storage, item->ai_addr, item->ai_addrlen);
        resolved.length = item->ai_addrlen;
        resolved.family = item->ai_family;
        addresses.push_back(resolved);
    }
    if (addresses.empty())
        throw std::runtime_error("cannot resolve '" + address + "': no TCP address");
    return addresses;
}

SocketAddress listenAddress(const std::string& address) {
    const std::vector<SocketAddress> addresses = resolve(address, true);
    const auto ipv4 = std::find_if(addresses.begin(), addresses.end(), [](const SocketAddress& candidate) {
        return candidate.family == AF_INET;
    });
    return ipv4 != addresses.end() ? *ipv4 : addresses.front();
}

}  // namespace citysense::net
