// The database schema the sql sink writes to: the numbered migrations of sql/<dialect>/, built into
// the plugin, checked against the database's schema_version at open and applied when asked to.
#pragma once

#include <Poco/Data/Session.h>

#include <string>
#include <vector>

namespace citysense::sql {

struct Migration {
    int version;
    std::string name;  ///< the file, e.g. "001_initial.sql"
    std::string text;
};

/// The migrations of "mariadb" or "sqlite", in version order.
const std::vector<Migration>& migrations(const std::string& dialect);

/// The statements of a migration file, without comments, split at the semicolons that end them.
std::vector<std::string> statements(const std::string& text);

/// The database's schema version; 0 when it has no citysense schema.
int schemaVersion(Poco::Data::Session& session);

/// Makes sure the schema is the newest: applies what is missing when `create` is set, otherwise
/// throws std::runtime_error saying what to do (run tools/db-migrate). A database newer than the
/// newest migration is always an error.
void ensureSchema(Poco::Data::Session& session, const std::string& dialect, bool create);

}  // namespace citysense::sql
