// From a received MQTT message to samples: parses the payload, matches each reading's name to a
// station and quantity through the topic template, and checks the unit it carries. An ingest sees the
// same few thousand topics over and over, so what a name says once it has passed every check of its
// own (its station and quantity, the station admitted, its Source) is remembered: a name seen before
// costs one hash lookup instead of a match, a station check and Source::intern's global lock.
#pragma once

#include "StationAdmission.h"

#include <citysense/TopicTemplate.h>
#include <payload/Payload.h>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace citysense::mqtt {

/// A well-formed message of a station the ingest does not take (StationAdmission).
class StationRefused : public PayloadError {
public:
    using PayloadError::PayloadError;
};

/// One thread at a time decodes (a subscriber's message callback).
class Decoder {
public:
    /// The most reading names (topics, SenML names) remembered: 5,000 stations × 9 quantities and
    /// more, about 150 bytes each (10 MB). A new name beyond them takes the place of one chosen by
    /// its hash, as good as at random, so that a working set larger than this still finds most of
    /// its names.
    static constexpr std::size_t kMaxKnownNames = 65536;

    /// Samples get the source (station from the topic, `instance`); `fallback` fills station levels
    /// the template does not have.
    Decoder(TopicTemplate topic, PayloadFormat format, Station fallback, std::string instance);

    /// Takes readings only of the stations `limits` admit (StationAdmission.h); without, of any.
    void limitStations(StationLimits limits);

    /// Appends the message's samples to `out`. Throws PayloadError saying what is wrong, and
    /// StationRefused for a station beyond the limits; then nothing is appended. A gateway's status
    /// message yields no samples.
    void decode(std::string_view topic, std::string_view payload, SampleBatch& out);

    /// True for a gateway's status message: `online` or `offline` on a topic ending in /status.
    static bool isStatus(std::string_view topic, std::string_view payload);

    /// Reading names remembered, at most kMaxKnownNames.
    std::size_t knownNames() const { return _known.size(); }

private:
    /// What a reading's name says once it fits the template, its station's names fit the store and
    /// the station is admitted. A station admitted stays admitted (StationAdmission), so this holds
    /// for good; a name that fails a check is not remembered and is checked anew each time.
    struct Known {
        Quantity quantity;  ///< as the topic tree places it: wind speed is told by its unit still
        const Source* source;
    };

    std::optional<Known> find(std::string_view name);
    Known resolve(std::string_view name, std::optional<TopicTemplate::Match> match, const Station& publisher);
    void remember(std::string_view name, Known known);
    void fill(Station& station) const;

    TopicTemplate _template;
    PayloadFormat _format;
    Station _fallback;
    std::string _instance;
    std::optional<StationAdmission> _admission;
    std::unordered_map<std::string, Known> _known;
    std::string _lookup;  ///< the name looked up, kept to look up without allocating
};

}  // namespace citysense::mqtt
