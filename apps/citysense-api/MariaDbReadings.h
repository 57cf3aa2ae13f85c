// Readings from MariaDB without Poco Data's statements, for the pages of Observations, the API's most
// asked query. Poco prepares a statement again each time it runs (prepare, then execute: two round
// trips) and fetches its rows value by value through its extractors. Here each connection keeps its
// prepared statements for as long as it lives, so that a page is one round trip (execute, then its
// rows), and the rows come in the binary protocol straight into bound buffers. The values still reach
// the server only as bound values (BoundQuery).
//
// The connections are opened by Poco's MySQL connector from the store's connection string (the same
// options as the pool's sessions) and set up by the same function; only their libmariadb handle is
// used after that. A connection that fails before the query's first row is closed, and the query is
// run once more on a new one (a server that dropped an idle connection refuses the execution itself).
#pragma once

#include "BoundQuery.h"
#include "ReadingsStore.h"

#include <Poco/Data/Session.h>

#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace citysense::api {

class MariaDbReadings {
public:
    /// `connection`: a Poco MySQL connection string, with its password; `setUp` runs on each new
    /// connection (e.g. makes it read-only); at most `idle` connections are kept between queries.
    MariaDbReadings(std::string connection, std::function<void(Poco::Data::Session&)> setUp,
                    std::size_t idle);
    ~MariaDbReadings();
    MariaDbReadings(const MariaDbReadings&) = delete;
    MariaDbReadings& operator=(const MariaDbReadings&) = delete;

    /// Runs `query`, whose four columns are a reading's (sensor id, time as the DATETIME column it is,
    /// value, quality), and appends its rows to `rows`, each handed to `arrived` (unless empty) as soon
    /// as it is read, while the server sends the next. Throws a Poco::Data::DataException when it fails
    /// after a row, twice, or once on a new connection.
    void read(const BoundQuery& query, std::vector<ReadingRow>& rows, const ReadingVisitor& arrived);

private:
    class Connection;

    std::unique_ptr<Connection> take();
    void giveBack(std::unique_ptr<Connection> connection);

    std::string _connection;
    std::function<void(Poco::Data::Session&)> _setUp;
    std::size_t _idleLimit;
    std::mutex _mutex;
    std::vector<std::unique_ptr<Connection>> _idle;  ///< the most recently used last
};

}  // namespace citysense::api
