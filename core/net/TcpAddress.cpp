#include "TcpAddress.h"

#include <arpa/inet.h>
#include <netdb.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <stdexcept>

namespace citysense::net {

bool splitHostPort(const std::string& address, std::string& host, std::string& port) {
    const auto colon = address.rfind(':');
    if (colon == std::string::npos || colon + 1 == address.size())
        return false;
    host = address.substr(0, colon);
    port = address.substr(colon + 1);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
        host = host.substr(1, host.size() - 2);
    return true;
}

bool isIpAddress(const std::string& host) {
    unsigned char bytes[sizeof(in6_addr)];
    return inet_pton(AF_INET, host.c_str(), bytes) == 1 || inet_pton(AF_INET6, host.c_str(), bytes) == 1;
}

std::vector<SocketAddress> resolve(const std::string& address, bool listening) {
    std::string host;
    std::string port;
    if (!splitHostPort(address, host, port))
        throw std::runtime_error("'" + address + "' is not HOST:PORT");
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICSERV | (listening ? AI_PASSIVE : 0);
    addrinfo* found = nullptr;
    const int status = getaddrinfo(host.empty() ? nullptr : host.c_str(), port.c_str(), &hints, &found);
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
