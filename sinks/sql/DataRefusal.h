// Whether a failed write is the database refusing the data itself, which it would refuse again however
// often it were sent, or anything else (the connection, the server, a lock, rights, the schema), which
// may pass on a later attempt. Only the first is a PermanentWriteError: the host sets such samples aside
// in the dead-letter file instead of retrying them ahead of everything else.
#pragma once

#include <Poco/Exception.h>

namespace citysense::sql {

/// MariaDB: SQLSTATE class 22 (data exception: a value too long, out of range, not valid UTF-8) or
/// 23 (integrity constraint violation: a CHECK, a foreign key, a NOT NULL). SQLite: a constraint, a
/// type mismatch, a row too big.
bool refusesTheData(const Poco::Exception& error);

/// MariaDB: SQLSTATE 40001, a transaction aborted for a conflict with another (a deadlock; in a Galera
/// cluster also a certification failure at commit, error 1213), which may pass when run again.
bool isConflict(const Poco::Exception& error);

}  // namespace citysense::sql
