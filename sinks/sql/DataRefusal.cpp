#include "DataRefusal.h"

#include <Poco/Data/SQLite/SQLiteException.h>

#include <string>

namespace citysense::sql {

namespace {

/// Poco's MySQL exceptions carry the SQLSTATE only in their text: "... [mysql_sqlstate]: 23000" (or
/// mysql_stmt_sqlstate).
std::string mariadbSqlState(const Poco::Exception& error) {
    static const std::string kLabel = "sqlstate]: ";
    const std::string& text = error.message();
    const std::size_t at = text.find(kLabel);
    return at == std::string::npos ? std::string() : text.substr(at + kLabel.size(), 5);
}

}  // namespace

bool refusesTheData(const Poco::Exception& error) {
    namespace sqlite = Poco::Data::SQLite;
    if (dynamic_cast<const sqlite::ConstraintViolationException*>(&error) ||
        dynamic_cast<const sqlite::DataTypeMismatchException*>(&error) ||
        dynamic_cast<const sqlite::RowTooBigException*>(&error))
        return true;
    const std::string state = mariadbSqlState(error);
    return state.rfind("22", 0) == 0 || state.rfind("23", 0) == 0;
}

bool isConflict(const Poco::Exception& error) {
    return mariadbSqlState(error) == "40001";
}

}  // namespace citysense::sql
