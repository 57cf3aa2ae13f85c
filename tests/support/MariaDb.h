// A real MariaDB for tests: its own data directory (mariadb-install-db) in a temporary directory, a
// mariadbd listening on a Unix socket and a free loopback port, a database and a user with a password.
// The destructor stops the server and removes the directory. A start takes some 0.2 s: the data directory
// is a copy of one mariadb-install-db made once per build directory (that first install takes 0.5 to 1.5 s).
#pragma once

#include "Programs.h"

#include <string>

namespace citysense::test {

class MariaDb {
public:
    /// Makes the data directory, starts the server and creates database() and user() with full rights
    /// on it, reachable over the socket and over TCP from 127.0.0.1.
    MariaDb();
    ~MariaDb();
    MariaDb(const MariaDb&) = delete;
    MariaDb& operator=(const MariaDb&) = delete;

    const std::string& socket() const;
    unsigned port() const;
    const std::string& directory() const;
    const std::string& database() const;  ///< "citysense" (utf8mb4, binary collation)
    const std::string& user() const;      ///< "ingest"
    const std::string& password() const;
    const std::string& passwordFile() const;  ///< holds password() alone (mode 0600)

    /// Creates another database with the same character set, on which user() has full rights too.
    void createDatabase(const std::string& name);

    /// Runs `sql` as root over the socket in `database` (none when empty) with the mariadb client:
    /// the rows tab-separated, without a header, values unescaped. Throws with the client's message on error.
    std::string query(const std::string& sql, const std::string& database = "citysense") const;

    /// Stops the server (SIGTERM) and waits for it to end.
    void stop();
    /// Starts it again on the same port and data directory; returns once it accepts connections.
    void start();
    bool running() const;

    /// Everything the server logged so far.
    std::string log() const;

private:
    struct State;
    State* _state;
};

}  // namespace citysense::test
