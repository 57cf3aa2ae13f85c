-- citysense schema, version 3: what each gateway announces of its sensors (its retained `…/about`
-- document, recorded by the sql sink): the effective reporting interval in microseconds, whether the
-- sensor publishes on change only (behind a deadband filter, 0 or 1) and then its longest silence in
-- microseconds (NULL: unbounded), and the driver's plugin and version. NULL where nothing was
-- announced: citysense-api then estimates the interval from the readings' median spacing. Stations
-- keep their latitude and longitude columns; announcements fill them in. Applied by tools/db-migrate in
-- one transaction.

ALTER TABLE sensors ADD COLUMN interval_us INTEGER CHECK (interval_us > 0);
ALTER TABLE sensors ADD COLUMN on_change INTEGER NOT NULL DEFAULT 0 CHECK (on_change IN (0, 1));
ALTER TABLE sensors ADD COLUMN max_silence_us INTEGER CHECK (max_silence_us > 0);
ALTER TABLE sensors ADD COLUMN plugin TEXT;
ALTER TABLE sensors ADD COLUMN plugin_version TEXT;

INSERT INTO schema_version (version, applied_at) VALUES (3, strftime('%Y-%m-%d %H:%M:%f', 'now'));
