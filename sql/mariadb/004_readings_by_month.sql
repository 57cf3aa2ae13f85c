-- citysense schema, version 4: readings partitioned by month of their time (RANGE COLUMNS), so that
-- retention drops whole months (ALTER TABLE ... DROP PARTITION: a file removed, whatever its size) and a
-- query for a time range reads only the months it covers. InnoDB cannot partition a table with foreign
-- keys, so readings_sensor goes: the sql sink writes only sensor ids it read from `sensors`, which keeps
-- its foreign key to `stations`.
--
-- This makes one partition, p_future, for every time. tools/db-migrate then splits it into months (those of
-- the rows already stored, and a few ahead) and keeps adding months ahead on each run; the first split of
-- a large store rewrites the table once. Safe to run again: until this migration has recorded its version,
-- tools/db-migrate makes no monthly partitions, so a second run finds p_future alone and makes it again.

ALTER TABLE readings DROP FOREIGN KEY IF EXISTS readings_sensor;

ALTER TABLE readings PARTITION BY RANGE COLUMNS (time) (PARTITION p_future VALUES LESS THAN (MAXVALUE));

INSERT INTO schema_version (version, applied_at) VALUES (4, UTC_TIMESTAMP(6));
