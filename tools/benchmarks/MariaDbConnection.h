// A libmariadb connection for the storage benchmarks: queries, rows as text, commits.
#pragma once

#include "BenchSupport.h"

#include <mysql.h>

#include <string>
#include <vector>

namespace citysense::bench {

struct MariaDbAddress {
    std::string host = "127.0.0.1";
    unsigned port = 3306;
    std::string user;
    std::string passwordFile;
    std::string database = "citysense";
};

/// The options that fill `address`: --host, --port, --database, --user, --password-file.
OptionSetters addressOptions(MariaDbAddress& address);

class MariaDbConnection {
public:
    /// Connects as utf8mb4; `localInfile` allows LOAD DATA LOCAL INFILE.
    MariaDbConnection(const MariaDbAddress& address, bool localInfile);
    ~MariaDbConnection();
    MariaDbConnection(const MariaDbConnection&) = delete;
    MariaDbConnection& operator=(const MariaDbConnection&) = delete;

    void run(const std::string& sql);

    /// The rows of a query, each a vector of column texts.
    std::vector<std::vector<std::string>> select(const std::string& sql);

    void commit();

    MYSQL* handle() const { return _mysql; }

    [[noreturn]] void fail(const std::string& what) const;

private:
    MYSQL* _mysql;
};

}  // namespace citysense::bench
