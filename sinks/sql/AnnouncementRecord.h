// What the sql sink records of a station's announcement (Announcement.h): the station's latitude and
// longitude (when it announces a position; a station that announces none keeps what it has), and for
// each announced series the sensor's interval_us, on_change, max_silence_us, plugin and
// plugin_version (sql/*/003_announced_intervals.sql). The station and sensor rows are made when the
// announcement comes before their first reading. Within the caller's transaction.
#pragma once

#include <citysense/Announcement.h>

#include <Poco/Data/Session.h>

namespace citysense::sql {

void recordAnnouncement(Poco::Data::Session& session, bool sqlite, const Announcement& announcement);

}  // namespace citysense::sql
