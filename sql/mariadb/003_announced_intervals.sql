-- citysense schema, version 3: what each gateway announces of its sensors (its retained `…/about`
-- document, recorded by the sql sink): the effective reporting interval in microseconds, whether the
-- sensor publishes on change only (behind a deadband filter) and then its longest silence in
-- microseconds (NULL: unbounded), and the driver's plugin and version. NULL where nothing was
-- announced: citysense-api then estimates the interval from the readings' median spacing. Stations
-- keep their latitude and longitude columns; announcements fill them in. Safe to run again
-- (ADD COLUMN IF NOT EXISTS).

ALTER TABLE sensors
    ADD COLUMN IF NOT EXISTS interval_us BIGINT NULL,
    ADD COLUMN IF NOT EXISTS on_change BOOLEAN NOT NULL DEFAULT FALSE,
    ADD COLUMN IF NOT EXISTS max_silence_us BIGINT NULL,
    ADD COLUMN IF NOT EXISTS plugin VARCHAR(255) NULL,
    ADD COLUMN IF NOT EXISTS plugin_version VARCHAR(255) NULL;

INSERT INTO schema_version (version, applied_at) VALUES (3, UTC_TIMESTAMP(6));
