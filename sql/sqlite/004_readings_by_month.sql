-- citysense schema, version 4: in MariaDB, readings partitioned by month. SQLite has no partitions: this
-- only records the version, so that both engines count their schema alike. tools/db-migrate --retention
-- deletes old readings from SQLite row by row instead.

INSERT INTO schema_version (version, applied_at) VALUES (4, strftime('%Y-%m-%d %H:%M:%f', 'now'));
