-- citysense schema, version 1 (MariaDB, InnoDB). Applied by tools/db-migrate; see sql/README.md.
-- Names are utf8mb4 with binary collation: stored and compared byte for byte, so 'Straße' and 'Strasse',
-- or 'a' and 'A', are different streets. Times are UTC, with microseconds.
-- MariaDB commits each DDL statement on its own, so every statement here may run again after a failure.

CREATE TABLE IF NOT EXISTS schema_version (
    version INT NOT NULL PRIMARY KEY,
    applied_at DATETIME(6) NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE IF NOT EXISTS stations (
    id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    system VARCHAR(255) NOT NULL,
    city VARCHAR(255) NOT NULL,
    street VARCHAR(255) NOT NULL,
    latitude DOUBLE NULL,
    longitude DOUBLE NULL,
    UNIQUE KEY stations_name (system, city, street)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- One row per measuring channel: a quantity (from the SDK's quantity table, e.g. temperature) in its
-- unit (SenML, e.g. Cel) as measured by one driver instance (e.g. driver.air) of a station. The unique
-- key also serves look-ups by (station_id, quantity), its leading columns: no second index for them.
CREATE TABLE IF NOT EXISTS sensors (
    id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    station_id INT UNSIGNED NOT NULL,
    quantity VARCHAR(32) NOT NULL,
    unit VARCHAR(16) NOT NULL,
    driver VARCHAR(255) NOT NULL,
    UNIQUE KEY sensors_channel (station_id, quantity, driver),
    CONSTRAINT sensors_station FOREIGN KEY (station_id) REFERENCES stations (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- The primary key is the unique (sensor, time) key: a replay inserts nothing twice (INSERT IGNORE keeps
-- the first row), and it orders each sensor's rows by time for range queries.
CREATE TABLE IF NOT EXISTS readings (
    sensor_id INT UNSIGNED NOT NULL,
    time DATETIME(6) NOT NULL,
    value DOUBLE NOT NULL,
    quality SMALLINT UNSIGNED NOT NULL,
    PRIMARY KEY (sensor_id, time),
    CONSTRAINT readings_sensor FOREIGN KEY (sensor_id) REFERENCES sensors (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

INSERT INTO schema_version (version, applied_at) VALUES (1, UTC_TIMESTAMP(6));
