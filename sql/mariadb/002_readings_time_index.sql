-- citysense schema, version 2: an index on readings (time, sensor_id), the order in which citysense-api
-- pages through all Observations (keyset paging after the last (time, sensor) of the page before) and
-- the key a $filter on phenomenonTime across every sensor reads a range of. Without it such a page is a
-- scan of the whole table and a sort. Safe to run again (IF NOT EXISTS). On a large table, InnoDB builds
-- the index in place while the ingest goes on writing (ALGORITHM=INPLACE, LOCK=NONE).

CREATE INDEX IF NOT EXISTS readings_time ON readings (time, sensor_id) ALGORITHM = INPLACE LOCK = NONE;

INSERT INTO schema_version (version, applied_at) VALUES (2, UTC_TIMESTAMP(6));
