// mqtt_source: subscribes to readings other hosts publish (the server's ingest), optionally as a
// member of an MQTT 5 shared subscription, and emits them as samples of their own stations. A
// malformed message is counted as dropped (malformed_payload), never fatal. It reads the gateways'
// retained announcements too (AnnouncementTopic.h, AnnouncementJson.h) and emits them
// (Emitter::announce()). See README.md for the options.
//
// A message is acknowledged only once it is durable. paho.mqtt.c calls the message callback on its
// receiving thread, one message at a time, and sends the QoS 1 PUBACK when the callback returns; it
// has no deferred acknowledgement. So the callback decodes the message and emits it durably
// (Emitter::emitDurably: in the host's journal on disk before it returns) and only then returns. A
// host killed at any moment has every acknowledged reading in its journal, its spool or the database,
// and the broker sends again what was not acknowledged. A malformed message is acknowledged (counted,
// never retried forever).
#include "AnnouncementTopic.h"

#include <citysense/Export.h>
#include <citysense/Format.h>
#include <citysense/Time.h>
#include <mqtt-client/Connection.h>
#include <mqtt-client/Decoder.h>
#include <mqtt-client/Subscription.h>
#include <payload/AnnouncementJson.h>

#include <Poco/Environment.h>
#include <Poco/Logger.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <vector>

using namespace citysense;
using namespace citysense::mqtt;

namespace {

constexpr Micros kStopCheckInterval = 200 * 1000;

/// When the broker last showed that it is at work on this connection: a message arrived, or the
/// callback is still handling one (emitDurably() holds it while the host's sinks catch up). A
/// subscription's answer waits behind both: a session resumed on a backlog receives queued messages
/// first.
class DeliveryActivity {
public:
    /// Marks one message's handling, from the callback's start to its end.
    class Handling {
    public:
        explicit Handling(DeliveryActivity& activity) : _activity(activity) {
            ++_activity._handling;
            _activity._last = steadyMicros();
        }
        ~Handling() {
            _activity._last = steadyMicros();
            --_activity._handling;
        }
        Handling(const Handling&) = delete;
        Handling& operator=(const Handling&) = delete;

    private:
        DeliveryActivity& _activity;
    };

    /// How long the broker has been quiet since `since` (steadyMicros()); 0 while a message is handled.
    Micros quietSince(Micros since) const {
        return _handling > 0 ? 0 : steadyMicros() - std::max(since, _last.load());
    }

private:
    std::atomic<int> _handling{0};
    std::atomic<Micros> _last{0};
};

}  // namespace

class MqttSourceDriver : public Driver {
public:
    const OptionTable& options() const override {
        static const OptionTable table = [] {
            OptionTable options = connectionOptions(
                "Client id at the broker (default: the username; without one, <city>_<street>_<instance>, "
                "and _<host name> in a share group)");
            const OptionTable subscription =
                subscriptionOptions("under this station's system, e.g. hypo_city/+/+/+/+");
            options.insert(options.end(), subscription.begin(), subscription.end());
            options.push_back(
                Option::string("share_group", "",
                               "Join the MQTT 5 shared subscription $share/<group>/<filter>, so "
                               "several instances share the load (needs mqtt_version = 5)"));
            options.push_back(
                Option::integer("qos", "1", "Quality of service of the subscriptions").range(0, 2));
            options.push_back(Option::string(
                "announce_topic", AnnouncementTopic::kDefault,
                "The gateways' announcement topic (their mqtt sinks' announce_topic), subscribed to under "
                "this station's system, never shared; empty: announcements are not read"));
            options.push_back(
                Option::integer("max_stations", "20000",
                                "Stations whose readings this instance takes in all; readings of "
                                "more are dropped and counted (station_limit); 0: no limit")
                    .range(0, 100000000));
            options.push_back(Option::integer("new_stations_per_minute", "1000",
                                              "New stations taken a minute once new_stations_burst is spent "
                                              "(station_limit beyond); 0: no limit")
                                  .range(0, 100000000));
            options.push_back(
                Option::integer("new_stations_burst", "5000",
                                "New stations taken at once, e.g. every station after a restart")
                    .range(1, 100000000));
            options.push_back(
                Option::integer("receive_maximum", "1000",
                                "MQTT 5: messages the broker may send before this instance acknowledged "
                                "them (Receive Maximum); Mosquitto's own limit, max_inflight_messages (20 "
                                "by default, always used with MQTT 3.1.1), stalls an ingest whenever an "
                                "acknowledgement is late")
                    .range(1, 65535));
            options.push_back(Option::boolean("persistent_session", "true",
                                              "Ask the broker to keep the subscription and queue messages "
                                              "while this host is away"));
            return options;
        }();
        return table;
    }

    void configure(const Options& options) override {
        // Without a user name: the instance name keeps the id apart from a mqtt sink of the same station.
        std::string instance = instanceName();
        for (char& c : instance)
            if (c == '.')
                c = '_';
        std::string anonymousClientId = station().city + "_" + station().street + "_" + instance;
        const std::string group = options.has("share_group") ? options.getString("share_group") : "";
        if (!group.empty()) {
            // Members of a share group usually run one configuration on several hosts.
            anonymousClientId += "_" + Poco::Environment::nodeName();
        }
        _settings = readConnectionSettings(options, anonymousClientId);
        if (const std::string warning = clientIdWarning(_settings); !warning.empty())
            logger().warning(warning);
        _settings.cleanSession = !options.getBool("persistent_session");
        _settings.receiveMaximum = static_cast<int>(options.getInt("receive_maximum"));
        _qos = static_cast<int>(options.getInt("qos"));
        Subscription subscription = readSubscription(options, station().system);
        _filters = subscription.filters;
        _announceTopic.reset();
        _announceFilter.clear();
        if (options.has("announce_topic") && !options.getString("announce_topic").empty()) {
            try {
                _announceTopic.emplace(options.getString("announce_topic"));
            } catch (const std::invalid_argument& error) {
                throw OptionError("announce_topic", error.what());
            }
            // Not in the share group: a broker sends no retained messages to a shared subscription.
            _announceFilter = _announceTopic->filter(station().system);
        }
        if (!group.empty()) {
            if (_settings.mqttVersion != MQTTVERSION_5)
                throw OptionError("share_group", "shared subscriptions need mqtt_version = 5");
            if (group.find_first_of("/+#") != std::string::npos)
                throw OptionError("share_group", "'" + group + "' may not contain / + #");
            for (std::string& filter : _filters)
                filter = "$share/" + group + "/" + filter;
        }
        _decoder = std::make_unique<Decoder>(std::move(subscription.topic), subscription.format, station(),
                                             instanceName());
        StationLimits limits;
        limits.total = static_cast<std::size_t>(options.getInt("max_stations"));
        limits.perMinute = static_cast<std::size_t>(options.getInt("new_stations_per_minute"));
        limits.burst = static_cast<std::size_t>(options.getInt("new_stations_burst"));
        _decoder->limitStations(limits);
    }

    std::vector<Channel> channels() const override {
        std::vector<Channel> all;
        for (const QuantityInfo& quantity : quantities())
            all.push_back({quantity.quantity, quantity.physicalMin, quantity.physicalMax});
        return all;
    }

    bool eventDriven() const override { return true; }

    void run(Emitter& emitter, const StopToken& stop) override {
        // Where the callback emits; cleared before run() returns, under the lock a callback holds.
        // Declared before the client, so they outlive its threads.
        std::mutex emitting;
        Emitter* target = &emitter;
        std::atomic<bool> lost{false};
        std::string emitFailure;
        DeliveryActivity activity;
        Client client(_settings);
        client.paho().set_message_callback([&](::mqtt::const_message_ptr message) {
            const DeliveryActivity::Handling handling(activity);
            if (_announceTopic && _announceTopic->match(message->get_topic())) {
                const std::optional<Announcement> announcement = receiveAnnouncement(*message);
                std::lock_guard<std::mutex> lock(emitting);
                if (target && announcement)
                    target->announce(*announcement);
                return;
            }
            SampleBatch batch;
            receive(*message, batch);
            std::lock_guard<std::mutex> lock(emitting);
            // A message arriving while run() ends is not acknowledged: the connection is closed by
            // then, so the PUBACK cannot go, and the broker sends it again.
            if (!target || batch.empty())
                return;
            try {
                target->emitDurably(batch);
            } catch (const std::exception& error) {
                // Nothing may unwind into paho's C code; the driver fails and connects again.
                emitFailure =
                    "cannot emit a message from " + quoteText(message->get_topic()) + ": " + error.what();
                lost = true;
            }
        });
        client.paho().set_connection_lost_handler([&](const std::string&) { lost = true; });
        client.connect();
        try {
            if (subscribe(client, activity, lost, stop))
                logger().information(
                    "subscribed at " + client.describe() + " to " + joined(_filters) +
                    (_announceFilter.empty() ? "" : " and, for announcements, " + _announceFilter));
            while (!lost && !stop.waitFor(kStopCheckInterval)) {
            }
        } catch (...) {
            stopEmitting(client, emitting, target);
            throw;
        }
        stopEmitting(client, emitting, target);
        if (!emitFailure.empty())
            throw std::runtime_error(emitFailure);
        if (lost && !stop.stopRequested())
            throw std::runtime_error("connection to " + client.describe() + " lost");
    }

private:
    void receive(const ::mqtt::message& message, SampleBatch& batch) {
        try {
            const ::mqtt::binary_ref& payload = message.get_payload_ref();
            _decoder->decode(message.get_topic(), std::string_view(payload.data(), payload.size()), batch);
        } catch (const StationRefused& error) {
            countDropped("station_limit", 1,
                         "a message on " + quoteText(message.get_topic()) + ": " + error.what());
        } catch (const PayloadError& error) {
            countDropped("malformed_payload", 1,
                         "a message on " + quoteText(message.get_topic()) + ": " + error.what());
        }
    }

    /// The announcement a retained document on an announcement topic carries; nothing, and counted as
    /// malformed_payload, when it is no valid document of the station its topic names. An empty
    /// message clears the retained one: there is nothing to announce then.
    std::optional<Announcement> receiveAnnouncement(const ::mqtt::message& message) {
        const std::string& topic = message.get_topic();
        const ::mqtt::binary_ref& payload = message.get_payload_ref();
        if (payload.empty())
            return std::nullopt;
        try {
            Announcement announcement = decodeAnnouncement(std::string_view(payload.data(), payload.size()));
            const Station named = *_announceTopic->match(topic);
            const Station& said = announcement.station;
            if (said.system != named.system || said.city != named.city || said.street != named.street)
                throw PayloadError("about: the document speaks for " +
                                   quoteText(said.system + "/" + said.city + "/" + said.street) +
                                   ", not for the station of its topic");
            asReceivedHere(announcement);
            return announcement;
        } catch (const PayloadError& error) {
            countDropped("malformed_payload", 1,
                         "an announcement on " + quoteText(topic) + ": " + error.what());
            return std::nullopt;
        }
    }

    /// The samples of this instance name no gateway driver (payloads do not say which made them): they
    /// are this instance's, one series per station and quantity. So are the announced series: each
    /// quantity as its first channel announces it.
    void asReceivedHere(Announcement& announcement) const {
        std::vector<AnnouncedChannel> series;
        for (AnnouncedChannel& channel : announcement.channels) {
            const bool known = std::any_of(series.begin(), series.end(), [&](const AnnouncedChannel& kept) {
                return kept.quantity == channel.quantity;
            });
            if (known)
                continue;
            channel.driver = instanceName();
            series.push_back(std::move(channel));
        }
        announcement.channels = std::move(series);
    }

    /// Subscribes to every filter and waits for the broker's answers. Gives up when the connection is
    /// lost or the broker has been quiet for connect_timeout (see DeliveryActivity: a broker delivering a
    /// resumed session's backlog ahead of its answer is at work). False when a stop came first.
    bool subscribe(Client& client, const DeliveryActivity& activity, const std::atomic<bool>& lost,
                   const StopToken& stop) {
        std::vector<std::string> filters = _filters;
        if (!_announceFilter.empty())
            filters.push_back(_announceFilter);
        constexpr auto kRecheckAfter = std::chrono::milliseconds(50);
        const Micros timeout = static_cast<Micros>(_settings.connectTimeout.count()) * 1000;
        try {
            std::vector<::mqtt::token_ptr> answers;
            for (const std::string& filter : filters)
                answers.push_back(client.paho().subscribe(filter, _qos));
            const Micros asked = steadyMicros();
            for (std::size_t i = 0; i < answers.size(); ++i)
                while (!answers[i]->wait_for(kRecheckAfter)) {
                    if (stop.stopRequested())
                        return false;
                    if (lost)
                        throw std::runtime_error("connection to " + client.describe() + " lost");
                    if (activity.quietSince(asked) > timeout)
                        throw std::runtime_error("cannot subscribe at " + client.describe() + " to " +
                                                 filters[i] + ": no answer within " +
                                                 formatDuration(timeout));
                }
            return true;
        } catch (const ::mqtt::exception& error) {
            throw std::runtime_error("cannot subscribe at " + client.describe() + ": " +
                                     client.explain(error));
        }
    }

    /// Disconnects, lets a callback in progress finish, and keeps later ones from emitting (the
    /// emitter must not be called after run() has returned).
    static void stopEmitting(Client& client, std::mutex& emitting, Emitter*& target) {
        client.disconnect(std::chrono::seconds(2));
        std::lock_guard<std::mutex> lock(emitting);
        target = nullptr;
    }

    static std::string joined(const std::vector<std::string>& items) {
        std::string text;
        for (const std::string& item : items)
            text += (text.empty() ? "" : ", ") + item;
        return text;
    }

    ConnectionSettings _settings;
    int _qos = 1;
    std::vector<std::string> _filters;
    std::optional<AnnouncementTopic> _announceTopic;
    std::string _announceFilter;  ///< empty: announcements are not read
    std::unique_ptr<Decoder> _decoder;
};

CITYSENSE_DRIVER(MqttSourceDriver, "mqtt_source", "1.0.0",
                 "Subscribes to readings on an MQTT broker (shared subscriptions, tsv/json/senml)")
