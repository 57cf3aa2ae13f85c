// mqtt: publishes samples to an MQTT broker (libmosquitto, driven by the sink's thread: Publisher.h), over
// TLS with the gateway's own credentials by default, with a retained status topic (`online` at connect,
// `offline` as the last will) and the station's announcement retained on a topic of its own
// (RetainedDocument.h). Reconnecting, backoff and the durable spool are the host's: a write that fails
// throws, and the host retries it; a message an MQTT 5 broker refuses for itself throws PermanentWriteError,
// and the host sets its samples aside. See README.md for the options.
#include "ControlTopics.h"
#include "Deliveries.h"
#include "Messages.h"
#include "RetainedDocument.h"

#include <citysense/Export.h>
#include <mqtt-client/ConnectionSettings.h>
#include <mqtt-client/Publisher.h>
#include <payload/AnnouncementJson.h>

#include <Poco/Logger.h>

#include <algorithm>
#include <iterator>
#include <memory>
#include <numeric>

using namespace citysense;
using namespace citysense::mqtt;

namespace {

const char* const kOnline = "online";
const char* const kOffline = "offline";

}  // namespace

class MqttSink : public Sink {
public:
    const OptionTable& options() const override {
        static const OptionTable table = [] {
            OptionTable options = connectionOptions(
                "Client id at the broker (default: the username; without one, gw_<city>_<street>)");
            options.push_back(Option::integer("qos", "1", "Quality of service: 0, 1 or 2").range(0, 2));
            options.push_back(Option::boolean("retain", "false", "Publish readings as retained messages"));
            options.push_back(Option::string("topic", TopicTemplate::kDefault,
                                             "Topic template: {system} {city} {street} {category} "
                                             "{measurement} {quantity}"));
            options.push_back(Option::choice("format", {"tsv", "json", "senml"}, "tsv",
                                             "tsv: the prototype's 'time<TAB>value'; json: an object with "
                                             "value, unit, time, quality; senml: RFC 8428 packs"));
            options.push_back(Option::string("status_topic", "{system}/{city}/{street}/status",
                                             "Retained topic saying online/offline; empty for none"));
            options.push_back(Option::string("announce_topic", "{system}/{city}/{street}/about",
                                             "Retained topic of the station's announcement (position, each "
                                             "series' interval), published at each connect; empty for none"));
            options.push_back(
                Option::integer("max_inflight", "1000", "Most messages published and not yet acknowledged")
                    .range(1, 65535));
            options.push_back(
                Option::duration("ack_timeout", "30s", "Longest wait for the broker to acknowledge a message")
                    .range(0.1, 3600));
            return options;
        }();
        return table;
    }

    void configure(const Options& options) override {
        // Without a user name, the name tools/add-gateway gives this street's identity.
        _settings = readConnectionSettings(options, "gw_" + station().city + "_" + station().street);
        if (const std::string warning = clientIdWarning(_settings); !warning.empty())
            logger().warning(warning);
        if (_settings.clientId == station().city + "_" + station().street)
            logger().warning("the client id '" + _settings.clientId +
                             "' is the deployed prototype's for this street: on a broker that does not bind "
                             "client ids to user names, the two disconnect each other while both run "
                             "(tools/add-gateway names a gateway gw_<city>_<street>)");
        _qos = static_cast<int>(options.getInt("qos"));
        _retain = options.getBool("retain");
        _maxInflight = static_cast<std::size_t>(options.getInt("max_inflight"));
        _settings.maxInflight = static_cast<int>(_maxInflight);
        _ackTimeout = std::chrono::milliseconds(options.getDuration("ack_timeout") / 1000);
        try {
            _messages = std::make_unique<MessageBuilder>(TopicTemplate(options.getString("topic")),
                                                         payloadFormatByName(options.getString("format")));
        } catch (const std::invalid_argument& error) {
            throw OptionError("topic", error.what());
        }
        _statusTopic.clear();
        if (options.has("status_topic"))
            _statusTopic = renderTopic("status_topic", options.getString("status_topic"));
        _about.setTopic(options.has("announce_topic")
                            ? renderTopic("announce_topic", options.getString("announce_topic"))
                            : std::string());
    }

    void announce(const Announcement& announcement) override {
        _about.setPayload(encodeAnnouncement(announcement));
        if (_publisher && _publisher->connected())
            _about.publish(*_publisher, _ackTimeout);
    }

    void open() override { connect(); }

    ControlChannel* controlChannel() override { return &_control; }

    void write(const SampleBatch& batch) override {
        if (!_publisher || !_publisher->connected())
            connect();
        _outgoing.clear();
        _messages->build(batch, _outgoing);
        _everyMessage.resize(_outgoing.size());
        std::iota(_everyMessage.begin(), _everyMessage.end(), std::size_t{0});
        std::string failure = publish(_everyMessage, _maxInflight);
        if (!failure.empty() && mayHaveMissedARefusal())
            failure = publishUnansweredAgain();
        if (_deliveries->refusedCount() > 0) {
            // The refusal is the news, whatever failed after it: Mosquitto closes the connection right
            // after it refuses a message, so what followed may not have gone out. A new connection for
            // the host's next write.
            const DeliveryFailure first = *_deliveries->firstRefusal();
            const std::string refused = "the broker refused " + std::to_string(_deliveries->refusedCount()) +
                                        " of " + std::to_string(_outgoing.size()) +
                                        " messages, the first on " + *_outgoing[first.index].topic + " (" +
                                        Publisher::reasonText(first.reasonCode) + ")";
            dropClient();
            throw PermanentWriteError(refused);
        }
        if (!failure.empty())
            fail(failure);
    }

    void close() override {
        if (!_publisher)
            return;
        if (_publisher->connected() && !_statusTopic.empty()) {
            // A clean disconnect does not send the will, so say offline ourselves. Bounded: a stopping
            // host should not wait out the whole ack_timeout for this.
            const Publisher::Answer answer =
                _publisher->publishAndWait(_statusTopic, kOffline, 1, true, std::chrono::seconds(2));
            if (answer.kind == Publisher::Answer::Kind::TimedOut)
                logger().warning("offline status not acknowledged within 2s");
            else if (answer.kind == Publisher::Answer::Kind::Refused ||
                     answer.kind == Publisher::Answer::Kind::Lost)
                logger().warning("could not publish offline status: " +
                                 (answer.kind == Publisher::Answer::Kind::Lost
                                      ? lost()
                                      : Publisher::reasonText(answer.reasonCode)));
        }
        _control.disconnected();
        _publisher->disconnect(std::chrono::seconds(2));
        _publisher.reset();
    }

private:
    std::string renderTopic(const char* key, const std::string& text) const {
        std::string topic = text;
        const std::pair<const char*, const std::string*> fields[] = {
            {"{system}", &station().system}, {"{city}", &station().city}, {"{street}", &station().street}};
        for (const auto& [placeholder, value] : fields)
            for (std::size_t at = topic.find(placeholder); at != std::string::npos;
                 at = topic.find(placeholder))
                topic.replace(at, std::strlen(placeholder), *value);
        if (topic.find_first_of("{}+#") != std::string::npos)
            throw OptionError(key, "'" + text + "' may use only {system}, {city} and {street}");
        return topic;
    }

    void connect() {
        dropClient();
        // Declared first, destroyed last: the publisher reports to it until it is gone.
        auto deliveries = std::make_unique<Deliveries>();
        auto publisher = std::make_unique<Publisher>(
            _settings, *deliveries, [this](const std::string& topic, const std::string& payload) {
                _control.received(topic, payload);
            });
        if (_statusTopic.empty()) {
            publisher->connect();
        } else {
            const Publisher::Will will{_statusTopic, kOffline, 1, true};
            publisher->connect(&will);
            const Publisher::Answer answer =
                publisher->publishAndWait(_statusTopic, kOnline, 1, true, _ackTimeout);
            if (answer.kind == Publisher::Answer::Kind::TimedOut)
                throw std::runtime_error("cannot publish online status on " + _statusTopic +
                                         ": no acknowledgement within " +
                                         formatDuration(_ackTimeout.count() * 1000));
            if (answer.kind == Publisher::Answer::Kind::Refused)
                throw std::runtime_error("cannot publish online status on " + _statusTopic + ": refused (" +
                                         Publisher::reasonText(answer.reasonCode) +
                                         "): may this user publish there?");
            if (answer.kind == Publisher::Answer::Kind::Lost)
                throw std::runtime_error("cannot publish online status on " + _statusTopic +
                                         ": connection to " + publisher->describe() + " lost");
        }
        try {
            _about.publish(*publisher, _ackTimeout);
        } catch (const std::runtime_error& error) {
            // The readings matter more than the announcement: they go on, and the next connect tries again.
            logger().warning(std::string("announcement not published: ") + error.what());
        }
        logger().information("connected to " + publisher->describe());
        _control.connected(*publisher);
        _deliveries = std::move(deliveries);
        _publisher = std::move(publisher);
    }

    void dropClient() {
        _control.disconnected();
        _publisher.reset();
        _deliveries.reset();
    }

    /// Publishes the messages of _outgoing at `indices`, at most `window` unanswered at a time, and waits
    /// for the last answer. Returns why not every one was delivered, empty when all were; the refusals are
    /// in _deliveries.
    std::string publish(const std::vector<std::size_t>& indices, std::size_t window) {
        _deliveries->startWrite(_outgoing.size());
        Deliveries::Wait wait = Deliveries::Wait::Done;
        std::string notSent;
        for (const std::size_t index : indices) {
            wait = _deliveries->reserve(window, _ackTimeout);
            if (wait != Deliveries::Wait::Done)
                break;
            const OutgoingMessage& message = _outgoing[index];
            notSent = _publisher->publish(*message.topic, message.payload.data(), message.payload.size(),
                                          _qos, _retain, index);
            if (!notSent.empty()) {
                // What was sent before is still answered: the reader reads the broker's answers before it
                // reports a lost connection.
                _deliveries->unreserve();
                break;
            }
        }
        if (wait == Deliveries::Wait::Done)
            wait = _deliveries->awaitAll(_ackTimeout);
        if (wait == Deliveries::Wait::Lost)
            return lost();
        if (!notSent.empty())
            return "publish failed: " + notSent;
        if (wait == Deliveries::Wait::TimedOut)
            return "no acknowledgement from " + _publisher->describe() + " within " +
                   formatDuration(_ackTimeout.count() * 1000);
        if (const auto failure = _deliveries->firstFailure())
            return "publish failed on " + *_outgoing[failure->index].topic + ": " +
                   Publisher::reasonText(failure->reasonCode);
        return {};
    }

    /// Whether the write just failed may hide a refusal: over MQTT 5 (a 3.1.1 broker refuses without a
    /// word), the connection gone, and neither a refusal nor another failure from the broker on record.
    /// Mosquitto closes the connection right after it refuses a message; when more of the batch reaches
    /// it after that, its kernel answers with a reset, which may discard the refusal before it was read.
    bool mayHaveMissedARefusal() const {
        return _settings.mqttVersion == kMqttV5 && !_publisher->connected() &&
               _deliveries->refusedCount() == 0 && !_deliveries->firstFailure();
    }

    /// Publishes again, on a new connection, the messages the broker did not answer: the first of them
    /// alone, then the rest as usual. Were one refused, it is that first one: the broker answers in
    /// order and closes the connection right after a refusal, and alone it cannot be overtaken by a send
    /// whose reset discards the refusal before it was read. Again while the rest lose their connection the
    /// same way; each round has the broker answer one more. Returns as publish() does; throws when no new
    /// connection can be made.
    std::string publishUnansweredAgain() {
        std::vector<std::size_t> unanswered = _deliveries->unanswered();
        while (!unanswered.empty()) {
            connect();
            std::string failure = publish({unanswered.front()}, 1);
            if (!failure.empty() || _deliveries->refusedCount() > 0)
                return failure;
            const std::vector<std::size_t> rest(unanswered.begin() + 1, unanswered.end());
            failure = rest.empty() ? std::string() : publish(rest, _maxInflight);
            if (failure.empty() || !mayHaveMissedARefusal())
                return failure;
            // This round's record covers every message of the write: only `rest` went out in it.
            const std::vector<std::size_t> notAnswered = _deliveries->unanswered();
            unanswered.clear();
            std::set_intersection(rest.begin(), rest.end(), notAnswered.begin(), notAnswered.end(),
                                  std::back_inserter(unanswered));
        }
        return {};
    }

    std::string lost() const { return "connection to " + _publisher->describe() + " lost"; }

    /// Drops the connection (a new one is made on the next write) and reports the failure.
    [[noreturn]] void fail(const std::string& reason) {
        dropClient();
        throw std::runtime_error(reason);
    }

    ConnectionSettings _settings;
    int _qos = 1;
    bool _retain = false;
    std::size_t _maxInflight = 1000;
    std::chrono::milliseconds _ackTimeout{10000};
    std::unique_ptr<MessageBuilder> _messages;
    std::string _statusTopic;
    RetainedDocument _about;
    std::unique_ptr<Deliveries> _deliveries;  ///< of _publisher's connection; outlives it
    std::unique_ptr<Publisher> _publisher;
    std::vector<OutgoingMessage> _outgoing;
    std::vector<std::size_t> _everyMessage;  ///< 0 .. _outgoing.size() - 1
    ControlTopics _control{*this};
};

CITYSENSE_SINK(MqttSink, "mqtt", "1.0.0", "Publishes samples to an MQTT broker (TLS, status topic, QoS 0-2)")
