-- citysense schema, version 1 (SQLite 3.37 or newer, for STRICT tables). Applied by tools/db-migrate in
-- one transaction; see sql/README.md. The same tables as sql/mariadb/001_initial.sql, with these changes:
-- - time is INTEGER microseconds since 1970-01-01 UTC: one spelling per instant, so the (sensor_id, time)
--   key cannot be dodged by '12:00:00' against '12:00:00.000000', and exact to the microsecond.
-- - STRICT tables refuse a value of the wrong type instead of storing it as it comes.
-- - Text compares with SQLite's default BINARY collation: names byte for byte, as in MariaDB.
-- - Foreign keys are enforced on connections that set PRAGMA foreign_keys = ON.

CREATE TABLE schema_version (
    version INTEGER NOT NULL PRIMARY KEY,
    applied_at TEXT NOT NULL
) STRICT;

CREATE TABLE stations (
    id INTEGER PRIMARY KEY,
    system TEXT NOT NULL,
    city TEXT NOT NULL,
    street TEXT NOT NULL,
    latitude REAL,
    longitude REAL,
    UNIQUE (system, city, street)
) STRICT;

CREATE TABLE sensors (
    id INTEGER PRIMARY KEY,
    station_id INTEGER NOT NULL REFERENCES stations (id),
    quantity TEXT NOT NULL,
    unit TEXT NOT NULL,
    driver TEXT NOT NULL,
    UNIQUE (station_id, quantity, driver)  -- serves look-ups by (station_id, quantity) too
) STRICT;

CREATE TABLE readings (
    sensor_id INTEGER NOT NULL REFERENCES sensors (id),
    time INTEGER NOT NULL,
    value REAL NOT NULL,
    quality INTEGER NOT NULL CHECK (quality BETWEEN 0 AND 65535),
    PRIMARY KEY (sensor_id, time)
) STRICT, WITHOUT ROWID;

INSERT INTO schema_version (version, applied_at) VALUES (1, strftime('%Y-%m-%d %H:%M:%f', 'now'));
