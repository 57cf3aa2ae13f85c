// What a station says about itself, beside its readings: where it stands and, for each series it
// reports (driver instance and quantity), how often it reports and how long it may stay quiet. The
// host of a gateway makes one from its configuration and hands it to its sinks (Sink::announce()); the
// mqtt sink publishes it as a retained document, the ingest's mqtt_source reads it back and emits it
// (Emitter::announce()), and the sql sink records it, so that the store knows each sensor's interval
// without guessing it from the readings. Since ABI 1.3.
#pragma once

#include <citysense/Quantity.h>
#include <citysense/Sample.h>
#include <citysense/Time.h>

#include <string>
#include <vector>

namespace citysense {

/// One series a station reports: the samples of one driver instance and quantity (whose unit is the
/// quantity's, Quantity.h).
struct AnnouncedChannel {
    std::string driver;  ///< the driver instance, as samples name it: "driver.air"
    Quantity quantity = Quantity::Temperature;
    std::string plugin;         ///< the driver's plugin, e.g. "bme280"
    std::string pluginVersion;  ///< the plugin's own version, e.g. "1.0.0"
    /// The effective reporting interval: the driver's interval, or the period of a window filter it
    /// passes. Always positive.
    Micros interval = 0;
    /// True behind a deadband (publish-on-change) filter: a sample is sent only when the value has
    /// changed enough, so a quiet stretch is no missing data.
    bool onChange = false;
    /// With onChange: the longest quiet stretch (the deadband's max_silence); 0: unbounded.
    Micros maxSilence = 0;
};

/// A station and the series it reports; its position is the station's (Station::hasPosition).
struct Announcement {
    Station station;
    std::vector<AnnouncedChannel> channels;
};

}  // namespace citysense
