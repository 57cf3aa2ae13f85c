// A real MariaDB for tests: its own data directory (mariadb-install-db) in a temporary directory, a
// mariadbd listening on a Unix socket and a free loopback port, a database and a user with a password.
// The destructor stops the server and removes the directory. A start takes some 0.2 s: the data directory
// is a copy of one mariadb-install-db made once per build directory (that first install takes 0.5 to 1.5 s).
// stop() shuts the server down cleanly (SIGTERM); start() starts it again on the same port and data.
// A MariaDb may also be a node of a Galera cluster (GaleraCluster.h makes them).
#pragma once

#include "BackgroundServer.h"
#include "Programs.h"

#include <string>
#include <vector>

namespace citysense::test {

class MariaDb : public BackgroundServer {
public:
    /// Makes the data directory, starts the server and creates database() and user() with full rights
    /// on it, reachable over the socket and over TCP from 127.0.0.1.
    MariaDb();

    /// How a node joins a Galera cluster.
    struct GaleraMembership {
        /// The replication address (127.0.0.1:PORT) of a running node; empty for the node that founds
        /// the cluster.
        std::string join;
        /// The node that made database() and user(), which reach the others by replication (their
        /// password file says the same); null for the founder, which makes them.
        const MariaDb* founder = nullptr;
    };
    /// A Galera node, ready once it is synchronised with the cluster (a joiner first copies the
    /// founder's data with rsync). As root it runs as `nobody`: the rsync daemon that receives a copy
    /// runs as nobody when started by root, and must be able to write the node's data directory.
    explicit MariaDb(const GaleraMembership& membership);

    const std::string& socket() const;
    unsigned port() const;
    const std::string& database() const;  ///< "citysense" (utf8mb4, binary collation)
    const std::string& user() const;      ///< "ingest"
    const std::string& password() const;
    const std::string& passwordFile() const;  ///< holds password() alone (mode 0600)

    /// Creates another database with the same character set, on which user() has full rights too.
    void createDatabase(const std::string& name);

    /// Runs `sql` as root over the socket in `database` (none when empty) with the mariadb client:
    /// the rows tab-separated, without a header, values unescaped. Throws with the client's message on error.
    std::string query(const std::string& sql, const std::string& database = "citysense") const;

    /// A Galera node's replication address, 127.0.0.1:PORT.
    std::string replicationAddress() const;
    /// From its next start() on, a Galera node joins the cluster through these nodes (comma-separated
    /// replication addresses) instead of founding a new one.
    void rejoinThrough(const std::string& addresses);

private:
    /// The server's own temporary directory: at start-up it removes what looks like its temporary
    /// tables there, which would be another server's in a shared /tmp.
    std::string temporaryDirectory() const;
    /// The data directory of a fresh installation, in directory()/data.
    void makeDataDirectory();
    /// Starts mariadbd, as a Galera node with `membership`, or on its own when null.
    void startServer(const GaleraMembership* membership);
    void createUserAndDatabase();
    void writePasswordFile() const;

    std::string _socket;
    unsigned _port = 0;
    unsigned _replicationPort = 0;  ///< Galera nodes only
    std::string _database = "citysense";
    std::string _user = "ingest";
    std::string _password;
    std::string _passwordFile;
    std::string _systemUser;
};

}  // namespace citysense::test
