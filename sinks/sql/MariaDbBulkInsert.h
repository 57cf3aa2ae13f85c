// Inserts readings into MariaDB with one statement, prepared once per connection, that the server runs
// for a whole array of rows in one round trip (MariaDB's bulk execution, since 10.2: libmariadb's
// STMT_ATTR_ARRAY_SIZE). Poco Data cannot bind arrays, so a statement of 1,000 rows had 4,000
// placeholders, and a batch of another size was prepared, parsed by the server and closed again every
// time; each time went over as DATETIME text formatted here and parsed there. Here the rows go from one
// array, the times as binary MYSQL_TIME, on the session's own connection (so in its transaction), and the
// server parses one row's statement once.
#pragma once

#include "ReadingsInsert.h"

#include <mysql/mysql.h>

#include <cstddef>
#include <vector>

namespace citysense::sql {

class MariaDbBulkInsert {
public:
    /// Whether the server behind `mysql` runs a statement for an array of rows (MariaDB 10.2 or newer;
    /// not MySQL).
    static bool supported(MYSQL* mysql);

    /// Prepares the statement on `mysql`, which must outlive it. Throws
    /// Poco::Data::MySQL::StatementException.
    explicit MariaDbBulkInsert(MYSQL* mysql);
    ~MariaDbBulkInsert();
    MariaDbBulkInsert(const MariaDbBulkInsert&) = delete;
    MariaDbBulkInsert& operator=(const MariaDbBulkInsert&) = delete;

    /// Inserts rows [begin, end) of `all` (a row whose key is there is skipped, as readingsInsertText()
    /// says) in the connection's transaction, which must be open (autocommit off, or begun). Throws
    /// Poco::Data::MySQL::MySQLException with the server's SQLSTATE; with 40001 (a conflict) when the
    /// transaction was rolled back although the server reported success.
    void execute(const std::vector<ReadingRow>& all, std::size_t begin, std::size_t end);

private:
    /// A row as the statement reads it: the rows are bound row-wise (STMT_ATTR_ROW_SIZE), since
    /// column-wise a DATETIME column would be an array of pointers.
    struct Row {
        long long sensor;
        MYSQL_TIME time;
        double value;
        unsigned short quality;
    };

    MYSQL* _mysql;
    MYSQL_STMT* _statement = nullptr;
    std::vector<Row> _rows;  ///< of the execution running; bound by address
};

}  // namespace citysense::sql
