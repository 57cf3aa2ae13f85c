-- citysense schema, version 2: an index on readings (time, sensor_id), the order in which citysense-api
-- pages through all Observations (keyset paging after the last (time, sensor) of the page before) and
-- the key a $filter on phenomenonTime across every sensor reads a range of. Without it such a page is a
-- scan of the whole table and a sort. Applied by tools/db-migrate in one transaction.

CREATE INDEX readings_time ON readings (time, sensor_id);

INSERT INTO schema_version (version, applied_at) VALUES (2, strftime('%Y-%m-%d %H:%M:%f', 'now'));
