#include "ServerList.h"

#include <net/TcpAddress.h>

namespace citysense::sql {

namespace {

constexpr unsigned kDefaultPort = 3306;

}  // namespace

ServerList::ServerList(const std::vector<std::string>& hosts) {
    // A host is an IP address or a name, so it never carries a separator of the connection string.
    for (const std::string& entry : hosts) {
        const net::HostPort server = net::splitHostPort(entry, net::AddressUse::Connect, kDefaultPort);
        _servers.push_back({server.host, server.port});
    }
}

bool ServerList::empty() const {
    return _servers.empty();
}

std::size_t ServerList::size() const {
    return _servers.size();
}

std::string ServerList::connectionPrefix() const {
    if (_servers.empty())
        return {};
    const Server& server = _servers[_current];
    return "host=" + server.host + ";port=" + std::to_string(server.port) + ";";
}

std::string ServerList::current() const {
    if (_servers.empty())
        return {};
    return net::joinHostPort(_servers[_current].host, _servers[_current].port);
}

void ServerList::advance() {
    if (!_servers.empty())
        _current = (_current + 1) % _servers.size();
}

}  // namespace citysense::sql
