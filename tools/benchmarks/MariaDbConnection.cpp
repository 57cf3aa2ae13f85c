#include "MariaDbConnection.h"

#include <stdexcept>

namespace citysense::bench {

OptionSetters addressOptions(MariaDbAddress& address) {
    return {{"--host", storeIn(address.host)},
            {"--port", storeIn(address.port)},
            {"--database", storeIn(address.database)},
            {"--user", storeIn(address.user)},
            {"--password-file", storeIn(address.passwordFile)}};
}

MariaDbConnection::MariaDbConnection(const MariaDbAddress& address, bool localInfile)
    : _mysql(mysql_init(nullptr)) {
    if (!_mysql)
        throw std::runtime_error("mysql_init failed");
    const unsigned allowLocalInfile = localInfile ? 1 : 0;
    mysql_options(_mysql, MYSQL_OPT_LOCAL_INFILE, &allowLocalInfile);
    mysql_options(_mysql, MYSQL_SET_CHARSET_NAME, "utf8mb4");
    if (!mysql_real_connect(_mysql, address.host.c_str(), address.user.c_str(),
                            readPassword(address.passwordFile).c_str(), address.database.c_str(),
                            address.port, nullptr, 0)) {
        const std::string error = mysql_error(_mysql);
        mysql_close(_mysql);
        throw std::runtime_error("cannot connect to MariaDB: " + error);
    }
}

MariaDbConnection::~MariaDbConnection() {
    mysql_close(_mysql);
}

void MariaDbConnection::run(const std::string& sql) {
    if (mysql_real_query(_mysql, sql.data(), sql.size()) != 0)
        fail(sql);
    if (MYSQL_RES* result = mysql_store_result(_mysql))
        mysql_free_result(result);
}

std::vector<std::vector<std::string>> MariaDbConnection::select(const std::string& sql) {
    if (mysql_real_query(_mysql, sql.data(), sql.size()) != 0)
        fail(sql);
    MYSQL_RES* result = mysql_store_result(_mysql);
    if (!result)
        fail(sql);
    std::vector<std::vector<std::string>> rows;
    const unsigned columns = mysql_num_fields(result);
    while (MYSQL_ROW row = mysql_fetch_row(result)) {
        auto& out = rows.emplace_back();
        for (unsigned i = 0; i < columns; ++i)
            out.emplace_back(row[i] ? row[i] : "");
    }
    mysql_free_result(result);
    return rows;
}

void MariaDbConnection::commit() {
    if (mysql_commit(_mysql) != 0)
        fail("COMMIT");
}

void MariaDbConnection::fail(const std::string& what) const {
    throw std::runtime_error(what.substr(0, 120) + ": " + mysql_error(_mysql));
}

}  // namespace citysense::bench
