// For the citysense-api tests: a readings store with the schema of sql/, SQLite (a file) or a real
// MariaDB read through a user that may only SELECT, filled by the test with SQL; and the real
// citysense-api of this build running over it.
#pragma once

#include "MariaDb.h"
#include "ServiceProcess.h"

#include <citysense/Time.h>

#include <Poco/JSON/Object.h>

#include <filesystem>
#include <memory>
#include <string>

namespace citysense::test {

class ApiTestStore {
public:
    /// `connector`: "sqlite" or "mysql".
    explicit ApiTestStore(const std::string& connector);
    ~ApiTestStore();
    ApiTestStore(const ApiTestStore&) = delete;
    ApiTestStore& operator=(const ApiTestStore&) = delete;

    /// Runs `sql` (one or more statements) in the store, with full rights.
    void execute(const std::string& sql) const;

    /// `time` as an SQL literal of readings.time: µs for SQLite, a quoted DATETIME for MariaDB.
    std::string timeLiteral(Micros time) const;

    bool mariadb() const { return _server != nullptr; }
    /// The MariaDB server (only when mariadb()).
    MariaDb& server() { return *_server; }
    /// The SQLite file (only when not mariadb()).
    std::string sqliteFile() const { return (_directory / "readings.db").string(); }

    /// Writes citysense-api's configuration (listening on a free port) with `apiKeys` added to [api];
    /// its path. Unless `apiKeys` sets them, there is no embargo and the rate limits are too high to
    /// matter (the access tests set them).
    std::string writeConfiguration(const std::string& apiKeys = "") const;

    const std::filesystem::path& directory() const { return _directory; }

private:
    std::unique_ptr<MariaDb> _server;
    std::filesystem::path _directory;
};

/// An answer of the service: the status, the body, and the body parsed when it is a JSON object.
struct ApiAnswer {
    int status = 0;
    std::string body;
    Poco::JSON::Object::Ptr json;
};

/// citysense-api running with a configuration, until destroyed (SIGTERM, then it must exit 0).
class ApiService {
public:
    explicit ApiService(const std::string& configuration);
    ~ApiService();

    /// GET `target` ("/v1.1/Things"), or a full URL this service gave out (an @iot.nextLink).
    ApiAnswer get(const std::string& target) const;
    /// GETs `target`, which must answer `status` (checked) with a JSON object (else it throws).
    Poco::JSON::Object::Ptr json(const std::string& target, int status = 200) const;

    unsigned port() const { return _port; }
    ServiceProcess& process() { return _process; }

private:
    ServiceProcess _process;
    unsigned _port = 0;
};

}  // namespace citysense::test
