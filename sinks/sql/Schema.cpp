#include "Schema.h"

#include <Poco/Data/Statement.h>

#include <stdexcept>

namespace citysense::sql {

namespace {

/// Comments (-- to the end of the line) outside quotes are dropped; statements end at ';'.
std::vector<std::string> split(const std::string& text) {
    std::vector<std::string> result;
    std::string current;
    bool quoted = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (!quoted && c == '-' && i + 1 < text.size() && text[i + 1] == '-') {
            while (i < text.size() && text[i] != '\n')
                ++i;
            current += '\n';
            continue;
        }
        if (c == '\'')
            quoted = !quoted;
        if (!quoted && c == ';') {
            if (current.find_first_not_of(" \t\r\n") != std::string::npos)
                result.push_back(current);
            current.clear();
            continue;
        }
        current += c;
    }
    if (current.find_first_not_of(" \t\r\n") != std::string::npos)
        result.push_back(current);
    return result;
}

bool hasVersionTable(Poco::Data::Session& session) {
    using namespace Poco::Data::Keywords;
    int tables = 0;
    if (session.connector() == "sqlite")
        session << "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'",
            into(tables), now;
    else
        session << "SELECT count(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND "
                   "table_name = 'schema_version'",
            into(tables), now;
    return tables > 0;
}

}  // namespace

std::vector<std::string> statements(const std::string& text) {
    return split(text);
}

int schemaVersion(Poco::Data::Session& session) {
    using namespace Poco::Data::Keywords;
    if (!hasVersionTable(session))
        return 0;
    int version = 0;
    session << "SELECT COALESCE(MAX(version), 0) FROM schema_version", into(version), now;
    return version;
}

void ensureSchema(Poco::Data::Session& session, const std::string& dialect, bool create) {
    const std::vector<Migration>& known = migrations(dialect);
    const int newest = known.empty() ? 0 : known.back().version;
    const int version = schemaVersion(session);
    if (version > newest)
        throw std::runtime_error("the database's schema version " + std::to_string(version) +
                                 " is newer than this sink knows (" + std::to_string(newest) +
                                 "): update citysense");
    if (version == newest)
        return;
    if (!create)
        throw std::runtime_error((version == 0 ? std::string("the database has no citysense schema")
                                               : "the database's schema version " + std::to_string(version) +
                                                     " is older than " + std::to_string(newest)) +
                                 ": run tools/db-migrate, or set create_schema = true");
    for (const Migration& migration : known) {
        if (migration.version <= version)
            continue;
        // SQLite applies a migration at once or not at all; MariaDB commits each DDL statement by
        // itself, so its migrations are written to be run again after a failure.
        session.begin();
        try {
            for (const std::string& statement : statements(migration.text))
                session << statement, Poco::Data::Keywords::now;
            session.commit();
        } catch (...) {
            session.rollback();
            throw;
        }
    }
}

}  // namespace citysense::sql
