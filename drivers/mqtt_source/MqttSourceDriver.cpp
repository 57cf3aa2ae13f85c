// mqtt_source: subscribes to readings other hosts publish (the server's ingest), optionally as a
// member of an MQTT 5 shared subscription, and emits them as samples of their own stations. A
// malformed message is counted and logged (at most one line per interval of 10 s), never fatal.
// See README.md for the options.
#include <citysense/Export.h>
#include <citysense/Format.h>
#include <mqtt-client/Connection.h>
#include <mqtt-client/Decoder.h>

#include <Poco/Environment.h>
#include <Poco/Logger.h>

#include <memory>

using namespace citysense;
using namespace citysense::mqtt;

namespace {

constexpr Micros kMalformedLogInterval = 10 * kMicrosPerSecond;
constexpr std::size_t kMostSamplesPerEmit = 1000;

}  // namespace

class MqttSourceDriver : public Driver {
public:
    const OptionTable& options() const override {
        static const OptionTable table = [] {
            OptionTable options = connectionOptions(
                "Client id at the broker (default: the username; without one, <city>_<street>_<instance>, "
                "and _<host name> in a share group)");
            options.push_back(Option::list("topics", "",
                                           "Topic filters to subscribe to (default: the topic template's, "
                                           "under this station's system, e.g. hypo_city/+/+/+/+)"));
            options.push_back(
                Option::string("share_group", "",
                               "Join the MQTT 5 shared subscription $share/<group>/<filter>, so "
                               "several instances share the load (needs mqtt_version = 5)"));
            options.push_back(
                Option::integer("qos", "1", "Quality of service of the subscriptions").range(0, 2));
            options.push_back(
                Option::string("topic", TopicTemplate::kDefault,
                               "The publishers' topic template, to read station and quantity back"));
            options.push_back(Option::choice("format", {"auto", "tsv", "json", "senml"}, "auto",
                                             "Payload format; auto tells them apart"));
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
        _qos = static_cast<int>(options.getInt("qos"));
        std::optional<TopicTemplate> topic;
        try {
            topic.emplace(options.getString("topic"));
        } catch (const std::invalid_argument& error) {
            throw OptionError("topic", error.what());
        }
        _filters = options.has("topics") ? options.getList("topics") : std::vector<std::string>();
        if (_filters.empty())
            _filters = {topic->filter(station().system)};
        for (const std::string& filter : _filters)
            if (const std::string problem = filterProblem(filter); !problem.empty())
                throw OptionError("topics", "'" + filter + "': " + problem);
        if (!group.empty()) {
            if (_settings.mqttVersion != MQTTVERSION_5)
                throw OptionError("share_group", "shared subscriptions need mqtt_version = 5");
            if (group.find_first_of("/+#") != std::string::npos)
                throw OptionError("share_group", "'" + group + "' may not contain / + #");
            for (std::string& filter : _filters)
                filter = "$share/" + group + "/" + filter;
        }
        _decoder = std::make_unique<Decoder>(
            std::move(*topic), payloadFormatByName(options.getString("format")), station(), instanceName());
    }

    std::vector<Channel> channels() const override {
        std::vector<Channel> all;
        for (const QuantityInfo& quantity : quantities())
            all.push_back({quantity.quantity, quantity.physicalMin, quantity.physicalMax});
        return all;
    }

    bool eventDriven() const override { return true; }

    void run(Emitter& emitter, const StopToken& stop) override {
        Client client(_settings);
        client.paho().start_consuming();
        client.connect();
        try {
            for (const std::string& filter : _filters)
                if (!client.paho().subscribe(filter, _qos)->wait_for(_settings.connectTimeout))
                    throw std::runtime_error("cannot subscribe at " + client.describe() + " to " + filter +
                                             ": no answer within " +
                                             formatDuration(_settings.connectTimeout.count() * 1000));
        } catch (const ::mqtt::exception& error) {
            throw std::runtime_error("cannot subscribe at " + client.describe() + ": " +
                                     client.explain(error));
        }
        logger().information("subscribed at " + client.describe() + " to " + joined(_filters));
        SampleBatch batch;
        while (!stop.stopRequested()) {
            ::mqtt::const_message_ptr message;
            if (!client.paho().try_consume_message_for(&message, std::chrono::milliseconds(200)))
                continue;
            // Drain what has arrived already before emitting, so a burst becomes one batch. A null
            // message is the consumer queue's sign of a lost connection.
            bool lost = !message;
            if (!lost)
                receive(*message, batch);
            while (!lost && batch.size() < kMostSamplesPerEmit &&
                   client.paho().try_consume_message(&message)) {
                lost = !message;
                if (!lost)
                    receive(*message, batch);
            }
            emitter.emit(batch);
            if (lost)
                throw std::runtime_error("connection to " + client.describe() + " lost");
        }
        // paho acknowledged what is in the consumer queue when it arrived: stop the flow, then
        // emit the rest, so a stop or reload loses nothing that was acknowledged.
        client.disconnect(std::chrono::seconds(2));
        for (::mqtt::const_message_ptr message; client.paho().try_consume_message(&message) && message;) {
            receive(*message, batch);
            if (batch.size() >= kMostSamplesPerEmit)
                emitter.emit(batch);
        }
        emitter.emit(batch);
    }

private:
    void receive(const ::mqtt::message& message, SampleBatch& batch) {
        try {
            const ::mqtt::binary_ref& payload = message.get_payload_ref();
            _decoder->decode(message.get_topic(), std::string_view(payload.data(), payload.size()), batch);
        } catch (const PayloadError& error) {
            ++_malformed;
            const Micros now = nowMicros();
            if (now - _lastMalformedLog >= kMalformedLogInterval) {
                logger().warning("malformed message on " + quoteText(message.get_topic()) + " (" +
                                 std::to_string(_malformed) + " so far): " + error.what());
                _lastMalformedLog = now;
            }
        }
    }

    /// What makes `filter` an invalid MQTT topic filter; empty when it is valid.
    static std::string filterProblem(const std::string& filter) {
        std::size_t start = 0;
        for (;;) {
            const std::size_t end = filter.find('/', start);
            const std::string level = filter.substr(start, end == std::string::npos ? end : end - start);
            const bool wildcard = level.find_first_of("+#") != std::string::npos;
            if (wildcard && level.size() > 1)
                return "a wildcard (+ or #) must be a whole level";
            if (level == "#" && end != std::string::npos)
                return "# must be the last level";
            if (end == std::string::npos)
                return "";
            start = end + 1;
        }
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
    std::unique_ptr<Decoder> _decoder;
    std::uint64_t _malformed = 0;
    Micros _lastMalformedLog = -kMalformedLogInterval;
};

CITYSENSE_DRIVER(MqttSourceDriver, "mqtt_source", "1.0.0",
                 "Subscribes to readings on an MQTT broker (shared subscriptions, tsv/json/senml)")
