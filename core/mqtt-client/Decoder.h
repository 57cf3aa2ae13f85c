// From a received MQTT message to samples: parses the payload, matches each reading's name to a
// station and quantity through the topic template, and checks the unit it carries.
#pragma once

#include <citysense/TopicTemplate.h>
#include <payload/Payload.h>

#include <string>
#include <string_view>

namespace citysense::mqtt {

class Decoder {
public:
    /// Samples get the source (station from the topic, `instance`); `fallback` fills station levels
    /// the template does not have.
    Decoder(TopicTemplate topic, PayloadFormat format, Station fallback, std::string instance);

    /// Appends the message's samples to `out`. Throws PayloadError saying what is wrong; then
    /// nothing is appended. A gateway's status message yields no samples.
    void decode(std::string_view topic, std::string_view payload, SampleBatch& out) const;

    /// True for a gateway's status message: `online` or `offline` on a topic ending in /status.
    static bool isStatus(std::string_view topic, std::string_view payload);

private:
    TopicTemplate _template;
    PayloadFormat _format;
    Station _fallback;
    std::string _instance;
};

}  // namespace citysense::mqtt
