// A real MariaDB for tests: its own data directory (mariadb-install-db) in a temporary directory, a
// mariadbd listening on a Unix socket and a free loopback port, a database and a user with a password.
// The destructor stops the server and removes the directory. A start takes some 0.2 s: the data directory
// is a copy of one mariadb-install-db made once per build directory (that first install takes 0.5 to 1.5 s).
// stop() shuts the server down cleanly (SIGTERM); start() starts it again on the same port and data.
#pragma once

#include "BackgroundServer.h"
#include "Programs.h"

#include <string>

namespace citysense::test {

class MariaDb : public BackgroundServer {
public:
    /// Makes the data directory, starts the server and creates database() and user() with full rights
    /// on it, reachable over the socket and over TCP from 127.0.0.1.
    MariaDb();

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

private:
    /// The server's own temporary directory: at start-up it removes what looks like its temporary
    /// tables there, which would be another server's in a shared /tmp.
    std::string temporaryDirectory() const;
    /// The data directory of a fresh installation, in directory()/data.
    void makeDataDirectory();

    std::string _socket;
    unsigned _port = 0;
    std::string _database = "citysense";
    std::string _user = "ingest";
    std::string _password;
    std::string _passwordFile;
    std::string _systemUser;
};

}  // namespace citysense::test
