// The [live] section of citysense-api's configuration: the MQTT subscription that feeds the live stream
// (/v1.1/live) and the stream's bounds. Off unless `enabled = true`, so a configuration without the
// section serves as before. The connection options are those of every citysense MQTT client
// (mqtt-client/Connection.h); the topics, the topic template and the format are read by the code that
// reads the mqtt_source ingest's (mqtt-client/Subscription.h), so the stream sees readings the way the
// store gets them.
#pragma once

#include <engine/Config.h>
#include <mqtt-client/Connection.h>

#include <citysense/Options.h>
#include <citysense/Time.h>

#include <cstddef>
#include <string>
#include <vector>

namespace citysense::api {

struct LiveSettings {
    bool enabled = false;
    mqtt::ConnectionSettings connection;
    std::vector<std::string> topics;  ///< the subscription's filters
    std::string topicTemplate;        ///< the publishers' template, to read station and quantity back
    std::string format;               ///< auto, tsv, json or senml
    std::string driver;               ///< the ingest's driver instance (sensors.driver); empty: any
    std::size_t windowEvents = 0;     ///< events kept for clients that resume (Last-Event-ID)...
    Micros windowAge = 0;             ///< ...and for how long
    std::size_t queueEvents = 0;      ///< events queued for one client before it is cut off as slow
    int maxStreamsPerKey = 0;         ///< streams a key may have open at once, unless it has its own
    int maxStreams = 0;               ///< streams open at once in all
    Micros keepAlive = 0;             ///< the longest silence on a stream before a comment line
};

/// The option table of [live].
const OptionTable& liveOptions();

/// Reads [live]'s options (a missing section: `options` empty, the defaults); problems go to `issues`.
/// The connection is read only when the stream is enabled.
LiveSettings readLiveSettings(const Options& options, std::vector<ConfigIssue>& issues);

}  // namespace citysense::api
