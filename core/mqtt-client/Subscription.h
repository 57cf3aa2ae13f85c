// What a reader of published readings subscribes to and how it reads back what arrives: the options
// `topics`, `topic` (the publishers' topic template) and `format`, declared and checked once for both
// such readers, the mqtt_source driver (the ingest) and citysense-api's live stream, so that the stream
// reads readings the way the store gets them.
#pragma once

#include <citysense/Options.h>
#include <citysense/TopicTemplate.h>
#include <payload/Payload.h>

#include <string>
#include <vector>

namespace citysense::mqtt {

/// The options `topics`, `topic` and `format`; `topicsDefault` says what an empty `topics` subscribes
/// to (e.g. "under this station's system, e.g. hypo_city/+/+/+/+").
OptionTable subscriptionOptions(const std::string& topicsDefault);

struct Subscription {
    std::vector<std::string> filters;  ///< the topic filters subscribed to
    TopicTemplate topic;               ///< the publishers' template, to read station and quantity back
    PayloadFormat format;
};

/// Reads the options of subscriptionOptions(); an empty `topics` is the template's filter under
/// `system` (every level a wildcard when `system` is empty). Throws OptionError naming the key: a
/// template that is none, a filter that is no valid MQTT topic filter.
Subscription readSubscription(const Options& options, const std::string& system);

}  // namespace citysense::mqtt
