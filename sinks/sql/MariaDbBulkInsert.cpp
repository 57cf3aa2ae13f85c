#include "MariaDbBulkInsert.h"

#include <Poco/Data/MySQL/MySQLException.h>

#include <array>
#include <string>

namespace citysense::sql {

namespace {

[[noreturn]] void fail(const char* what, MYSQL_STMT* statement) {
    throw Poco::Data::MySQL::StatementException(what, statement);
}

MYSQL_TIME mysqlTime(Micros time) {
    const CalendarTime calendar = calendarTime(time);
    MYSQL_TIME out{};
    out.year = static_cast<unsigned>(calendar.year);
    out.month = static_cast<unsigned>(calendar.month);
    out.day = static_cast<unsigned>(calendar.day);
    out.hour = static_cast<unsigned>(calendar.hour);
    out.minute = static_cast<unsigned>(calendar.minute);
    out.second = static_cast<unsigned>(calendar.second);
    out.second_part = static_cast<unsigned long>(calendar.micros);
    out.time_type = MYSQL_TIMESTAMP_DATETIME;
    return out;
}

}  // namespace

bool MariaDbBulkInsert::supported(MYSQL* mysql) {
    unsigned long capabilities = 0;
    unsigned long extended = 0;
    if (mariadb_get_infov(mysql, MARIADB_CONNECTION_SERVER_CAPABILITIES, &capabilities) != 0 ||
        mariadb_get_infov(mysql, MARIADB_CONNECTION_EXTENDED_SERVER_CAPABILITIES, &extended) != 0)
        return false;
    // MySQL servers say CLIENT_MYSQL; MariaDB's bulk flag is in the extended (upper 32 bit) capabilities.
    return (capabilities & CLIENT_MYSQL) == 0 &&
           (extended & (MARIADB_CLIENT_STMT_BULK_OPERATIONS >> 32)) != 0;
}

MariaDbBulkInsert::MariaDbBulkInsert(MYSQL* mysql) : _mysql(mysql), _statement(mysql_stmt_init(mysql)) {
    if (!_statement)
        throw Poco::Data::MySQL::StatementException(std::string("cannot make a statement: ") +
                                                    mysql_error(mysql));
    const std::string text = readingsInsertText(false, 1);
    if (mysql_stmt_prepare(_statement, text.data(), text.size()) != 0) {
        const Poco::Data::MySQL::StatementException error("cannot prepare the readings insert", _statement);
        mysql_stmt_close(_statement);
        throw error;
    }
}

MariaDbBulkInsert::~MariaDbBulkInsert() {
    mysql_stmt_close(_statement);
}

void MariaDbBulkInsert::execute(const std::vector<ReadingRow>& all, std::size_t begin, std::size_t end) {
    _rows.clear();
    for (std::size_t i = begin; i < end; ++i) {
        const ReadingRow& row = all[i];
        _rows.push_back({row.sensor, mysqlTime(row.time), row.value, row.quality});
    }
    std::array<MYSQL_BIND, 4> columns{};
    const auto column = [&](std::size_t at, enum_field_types type, void* first, bool isUnsigned) {
        columns[at].buffer_type = type;
        columns[at].buffer = first;
        columns[at].is_unsigned = isUnsigned;
    };
    Row& first = _rows.front();
    column(0, MYSQL_TYPE_LONGLONG, &first.sensor, false);
    column(1, MYSQL_TYPE_DATETIME, &first.time, false);
    column(2, MYSQL_TYPE_DOUBLE, &first.value, false);
    column(3, MYSQL_TYPE_SHORT, &first.quality, true);
    unsigned int rows = static_cast<unsigned int>(_rows.size());
    std::size_t rowSize = sizeof(Row);
    if (mysql_stmt_attr_set(_statement, STMT_ATTR_ARRAY_SIZE, &rows) != 0 ||
        mysql_stmt_attr_set(_statement, STMT_ATTR_ROW_SIZE, &rowSize) != 0)
        fail("cannot set the rows of the readings insert", _statement);
    if (mysql_stmt_bind_param(_statement, columns.data()) != 0)
        fail("cannot bind the readings insert", _statement);
    if (mysql_stmt_execute(_statement) != 0)
        fail("cannot insert readings", _statement);
    // MariaDB 10.11 in a Galera cluster: a transaction the cluster aborts while the array runs (for a
    // conflict with a write replicated from another node) can be rolled back with the execution still
    // reporting success: the rows and everything else of the transaction gone, and no error (seen in
    // tests/sinks/sql/SqlSinkGaleraTest, 4 of 98 writes). The transaction the rows went into must still
    // be open after them; if not, this is the conflict the server did not report.
    unsigned int status = 0;
    if (mariadb_get_infov(_mysql, MARIADB_CONNECTION_SERVER_STATUS, &status) != 0 ||
        (status & SERVER_STATUS_IN_TRANS) == 0)
        throw Poco::Data::MySQL::MySQLException(
            "the server rolled the transaction back while it inserted readings, without an error (a "
            "conflict in its cluster) [mysql_sqlstate]: 40001");
}

}  // namespace citysense::sql
