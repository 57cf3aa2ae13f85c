#include "LiveSettings.h"

#include <mqtt-client/Subscription.h>

namespace citysense::api {

const OptionTable& liveOptions() {
    static const OptionTable table = [] {
        OptionTable options = mqtt::connectionOptions(
            "Client id at the broker (default: the username, which a broker binding client ids to user "
            "names uses anyway)");
        options.insert(options.begin(),
                       Option::boolean("enabled", "false",
                                       "Serve the live stream /v1.1/live, fed by this subscription"));
        const OptionTable subscription = mqtt::subscriptionOptions("every level a wildcard, e.g. +/+/+/+/+");
        options.insert(options.end(), subscription.begin(), subscription.end());
        options.push_back(Option::string("driver", "",
                                         "The ingest's mqtt_source instance (e.g. driver.ingest), whose "
                                         "sensors rows the readings become; empty: any sensor of the "
                                         "station and quantity"));
        options.push_back(Option::integer("window_events", "10000",
                                          "Events kept for clients that resume with Last-Event-ID")
                              .range(0, 10000000));
        options.push_back(
            Option::duration("window_age", "5m", "How long an event is kept for them").range(0, 86400));
        options.push_back(Option::integer("queue_events", "500",
                                          "Events queued for one client; a client that lets more wait "
                                          "is disconnected as slow (counted in /metrics)")
                              .range(1, 1000000));
        options.push_back(Option::integer("max_streams_per_key", "4",
                                          "Streams a key may have open at once, unless the key has its "
                                          "own max_streams; the next is refused with 429")
                              .range(1, 100000));
        options.push_back(Option::integer("max_streams", "1000",
                                          "Streams open at once in all; the next is refused with 503")
                              .range(1, 100000));
        options.push_back(Option::duration("keepalive_interval", "15s",
                                           "The longest silence on a stream: then a comment line")
                              .range(0.1, 3600));
        return options;
    }();
    return table;
}

LiveSettings readLiveSettings(const Options& options, std::vector<ConfigIssue>& issues) {
    LiveSettings live;
    try {
        live.enabled = options.getBool("enabled");
        live.topicTemplate = options.getString("topic");
        live.format = options.getString("format");
        live.driver = options.has("driver") ? options.getString("driver") : "";
        live.windowEvents = static_cast<std::size_t>(options.getInt("window_events"));
        live.windowAge = options.getDuration("window_age");
        live.queueEvents = static_cast<std::size_t>(options.getInt("queue_events"));
        live.maxStreamsPerKey = static_cast<int>(options.getInt("max_streams_per_key"));
        live.maxStreams = static_cast<int>(options.getInt("max_streams"));
        live.keepAlive = options.getDuration("keepalive_interval");
    } catch (const std::logic_error&) {
        return live;  // an option did not parse: its problem is already an issue
    }
    try {
        live.topics = mqtt::readSubscription(options, "").filters;
    } catch (const OptionError& error) {
        issues.push_back({"[live]", error.key(), error.what()});
    }
    if (!live.enabled)
        return live;
    try {
        live.connection = mqtt::readConnectionSettings(options, "citysense-api");
        if (const std::string warning = mqtt::clientIdWarning(live.connection); !warning.empty())
            issues.push_back({"[live]", "client_id", warning, true});
    } catch (const OptionError& error) {
        issues.push_back({"[live]", error.key(), error.what()});
    }
    return live;
}

}  // namespace citysense::api
