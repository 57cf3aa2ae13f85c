// "HOST:PORT" text ([IPv6]:PORT for an IPv6 address) read by one rule set for every caller (the host's
// listener, the MQTT client's brokers and probes, the sql sink's servers), and as socket addresses,
// through getaddrinfo.
#pragma once

#include <sys/socket.h>

#include <string>
#include <vector>

namespace citysense::net {

/// What an address is for: a listener may ask for port 0 (a free port the system picks), a peer to
/// connect to may not.
enum class AddressUse { Listen, Connect };

/// The host and the port an address names.
struct HostPort {
    std::string host;  ///< an IP address or a host name, an IPv6 address without its brackets
    unsigned port = 0;
};

/// Reads "HOST:PORT" or "[IPv6]:PORT". HOST is an IPv4 address or a host name (letters, digits, '.',
/// '-', '_'); an IPv6 address always goes in brackets. PORT is a number from 1 to 65535, or from 0 for
/// AddressUse::Listen. With a `defaultPort` (not 0), "HOST" and "[IPv6]" stand for that port; without,
/// the port is required. Throws std::invalid_argument that quotes `address` and says what is wrong
/// ("'8180' is not HOST:PORT (e.g. 127.0.0.1:8180, [::1]:8180)").
HostPort splitHostPort(const std::string& address, AddressUse use, unsigned defaultPort = 0);

/// "HOST:PORT", an IPv6 address in brackets: "[::1]:8180"; what splitHostPort() reads back.
std::string joinHostPort(const std::string& host, unsigned port);

/// Whether `host` is a numeric IPv4 or IPv6 address (no name, no brackets).
bool isIpAddress(const std::string& host);

/// One socket address that a "HOST:PORT" stands for.
struct SocketAddress {
    sockaddr_storage storage{};
    socklen_t length = 0;
    int family = 0;

    const sockaddr* get() const { return reinterpret_cast<const sockaddr*>(&storage); }
};

/// The TCP addresses "HOST:PORT" (as splitHostPort() reads it) resolves to, in getaddrinfo's order: to
/// listen on with `listening`, to connect to otherwise. Throws std::runtime_error saying why there are
/// none ("cannot resolve 'name': Name or service not known", or splitHostPort()'s reason).
std::vector<SocketAddress> resolve(const std::string& address, bool listening);

/// The one address to listen on for "HOST:PORT": the first IPv4 one it resolves to, so that
/// "localhost" is 127.0.0.1, which every client reaches (as with Poco's SocketAddress), not an
/// IPv6-only ::1; the first of any family when it has none. Throws as resolve().
SocketAddress listenAddress(const std::string& address);

}  // namespace citysense::net
