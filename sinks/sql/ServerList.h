// The MariaDB servers a sql sink may write to (`hosts`), e.g. the nodes of a Galera cluster, and which
// one it uses now. The sink connects to the current one; after a failed write it moves on to the next,
// so a node that is down or out of the cluster is left after one failed attempt.
#pragma once

#include <string>
#include <vector>

namespace citysense::sql {

class ServerList {
public:
    /// `hosts`: host or host:port each (port 3306 when left out; an IPv6 address in brackets, as
    /// net::splitHostPort() reads it). Throws std::invalid_argument naming a host that is not one.
    /// Empty: the connection string names the one server.
    explicit ServerList(const std::vector<std::string>& hosts);

    bool empty() const;
    std::size_t size() const;
    /// "host=H;port=P;" of the current server, to put before the connection string; empty when empty().
    std::string connectionPrefix() const;
    /// "H:P" of the current server ("[IPv6]:P").
    std::string current() const;
    /// The next server becomes current (after the last, the first).
    void advance();

private:
    struct Server {
        std::string host;
        unsigned port;
    };
    std::vector<Server> _servers;
    std::size_t _current = 0;
};

}  // namespace citysense::sql
