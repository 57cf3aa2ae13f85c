// From a received MQTT message to samples: parses the payload, matches each reading's name to a
// station and quantity through the topic template, and checks the unit it carries.
#pragma once

#include "StationAdmission.h"

#include <citysense/TopicTemplate.h>
#include <payload/Payload.h>

#include <optional>
#include <string>
#include <string_view>

namespace citysense::mqtt {

/// A well-formed message of a station the ingest does not take (StationAdmission).
class StationRefused : public PayloadError {
public:
    using PayloadError::PayloadError;
};

class Decoder {
public:
    /// Samples get the source (station from the topic, `instance`); `fallback` fills station levels
    /// the template does not have.
    Decoder(TopicTemplate topic, PayloadFormat format, Station fallback, std::string instance);

    /// Takes readings only of the stations `limits` admit (StationAdmission.h); without, of any.
    void limitStations(StationLimits limits) { _admission.emplace(limits); }

    /// Appends the message's samples to `out`. Throws PayloadError saying what is wrong, and
    /// StationRefused for a station beyond the limits; then nothing is appended. A gateway's status
    /// message yields no samples.
    void decode(std::string_view topic, std::string_view payload, SampleBatch& out);

    /// True for a gateway's status message: `online` or `offline` on a topic ending in /status.
    static bool isStatus(std::string_view topic, std::string_view payload);

private:
    TopicTemplate _template;
    PayloadFormat _format;
    Station _fallback;
    std::string _instance;
    std::optional<StationAdmission> _admission;
};

}  // namespace citysense::mqtt
