#include "ServerList.h"

#include <stdexcept>

namespace citysense::sql {

namespace {

constexpr unsigned kDefaultPort = 3306;

/// A host name or an IPv4 address: no separator of the connection string, no space, no colon.
bool plainHost(const std::string& host) {
    if (host.empty())
        return false;
    for (const char c : host)
        if (c == ';' || c == '=' || c == ':' || c == ' ' || c == '\t' || static_cast<unsigned char>(c) < 0x20)
            return false;
    return true;
}

}  // namespace

ServerList::ServerList(const std::vector<std::string>& hosts) {
    for (const std::string& entry : hosts) {
        const std::size_t colon = entry.rfind(':');
        Server server{entry.substr(0, colon), kDefaultPort};
        if (colon != std::string::npos) {
            const std::string port = entry.substr(colon + 1);
            unsigned long number = 0;
            std::size_t used = 0;
            try {
                number = std::stoul(port, &used);
            } catch (const std::exception&) {
                used = 0;
            }
            if (port.empty() || used != port.size() || number == 0 || number > 65535)
                throw std::invalid_argument("'" + entry + "': the port must be a number from 1 to 65535");
            server.port = static_cast<unsigned>(number);
        }
        if (!plainHost(server.host))
            throw std::invalid_argument("'" + entry + "' is not host or host:port");
        _servers.push_back(std::move(server));
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
    return _servers[_current].host + ":" + std::to_string(_servers[_current].port);
}

void ServerList::advance() {
    if (!_servers.empty())
        _current = (_current + 1) % _servers.size();
}

}  // namespace citysense::sql
