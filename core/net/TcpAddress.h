// "HOST:PORT" text ([IPv6]:PORT for an IPv6 address) as socket addresses, through getaddrinfo.
#pragma once

#include <sys/socket.h>

#include <string>
#include <vector>

namespace citysense::net {

/// HOST and PORT of "HOST:PORT" or "[IPv6]:PORT", without the brackets; false when `address` has no
/// port after a colon.
bool splitHostPort(const std::string& address, std::string& host, std::string& port);

/// Whether `host` is a numeric IPv4 or IPv6 address (no name, no brackets).
bool isIpAddress(const std::string& host);

/// One socket address that a "HOST:PORT" stands for.
struct SocketAddress {
    sockaddr_storage storage{};
    socklen_t length = 0;
    int family = 0;

    const sockaddr* get() const { return reinterpret_cast<const sockaddr*>(&storage); }
};

/// The TCP addresses "HOST:PORT" resolves to, in getaddrinfo's order: to listen on with `listening`,
/// to connect to otherwise. Throws std::runtime_error saying why there are none ("cannot resolve
/// 'name': Name or service not known").
std::vector<SocketAddress> resolve(const std::string& address, bool listening);

/// The one address to listen on for "HOST:PORT": the first IPv4 one it resolves to, so that
/// "localhost" is 127.0.0.1, which every client reaches (as with Poco's SocketAddress), not an
/// IPv6-only ::1; the first of any family when it has none. Throws as resolve().
SocketAddress listenAddress(const std::string& address);

}  // namespace citysense::net
