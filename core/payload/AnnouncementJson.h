// A station's announcement (Announcement.h) as the retained JSON document the mqtt sink publishes on
// `<system>/<city>/<street>/about` and the ingest's mqtt_source reads back:
//
//   {"station": {"system": "hypo_city", "city": "city_01", "street": "street_01",
//                "latitude": 52.37, "longitude": 4.89},
//    "channels": [{"driver": "driver.air", "quantity": "temperature", "unit": "Cel",
//                  "plugin": "bme280", "plugin_version": "1.0.0",
//                  "interval_s": 60, "publish": "periodic"},
//                 {"driver": "driver.no2", "quantity": "no2", "unit": "ppb", ...,
//                  "interval_s": 10, "publish": "on_change", "max_silence_s": 900}]}
//
// latitude and longitude come together or not at all; "max_silence_s" is there exactly for
// "on_change" channels, null when the silence is unbounded. Times are seconds.
#pragma once

#include <payload/Payload.h>

#include <citysense/Announcement.h>

#include <cstddef>
#include <string>
#include <string_view>

namespace citysense {

/// Most channels one announcement may list.
constexpr std::size_t kMaxAnnouncedChannels = 1000;
/// Longest interval or silence an announcement may state: a year.
constexpr Micros kMaxAnnouncedInterval = 366LL * 24 * 3600 * kMicrosPerSecond;

std::string encodeAnnouncement(const Announcement& announcement);

/// Reads a document strictly: valid UTF-8 JSON (RFC 8259) of at most 256 KiB, exactly the members
/// above (no other, none twice), station names that are topic levels (1 to 255 characters, no / + #),
/// a position within WGS 84's ranges, driver names "driver.NAME", known quantities with their own
/// units, no (driver, quantity) twice, intervals and silences above 0 and at most a year, at most
/// kMaxAnnouncedChannels channels. Throws PayloadError naming what is wrong: `about: channel 2:
/// 'unit' is "K", but temperature is in Cel`.
Announcement decodeAnnouncement(std::string_view payload);

}  // namespace citysense
