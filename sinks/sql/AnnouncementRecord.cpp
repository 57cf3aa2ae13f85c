#include "AnnouncementRecord.h"

#include "StationRows.h"

#include <Poco/Data/Statement.h>
#include <Poco/Nullable.h>

namespace citysense::sql {

using namespace Poco::Data::Keywords;

void recordAnnouncement(Poco::Data::Session& session, bool sqlite, const Announcement& announcement) {
    const Station& station = announcement.station;
    const std::int64_t stationId = stationRow(session, sqlite, station);
    if (station.hasPosition) {
        double latitude = station.latitude;
        double longitude = station.longitude;
        session << "UPDATE stations SET latitude = ?, longitude = ? WHERE id = ?", bind(latitude),
            bind(longitude), bind(stationId), now;
    }
    for (const AnnouncedChannel& channel : announcement.channels) {
        const std::int64_t sensor = sensorRow(session, sqlite, stationId, channel.quantity, channel.driver);
        std::int64_t interval = channel.interval;
        int onChange = channel.onChange ? 1 : 0;
        Poco::Nullable<std::int64_t> maxSilence;
        if (channel.onChange && channel.maxSilence > 0)
            maxSilence = channel.maxSilence;
        session << "UPDATE sensors SET interval_us = ?, on_change = ?, max_silence_us = ?, plugin = ?, "
                   "plugin_version = ? WHERE id = ?",
            bind(interval), bind(onChange), bind(maxSilence), bind(channel.plugin),
            bind(channel.pluginVersion), bind(sensor), now;
    }
}

}  // namespace citysense::sql
