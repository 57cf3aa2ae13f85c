#include "LiveFeed.h"

#include <citysense/Format.h>
#include <payload/Payload.h>

#include <Poco/Logger.h>

#include <sstream>

namespace citysense::api {

namespace {

constexpr std::size_t kMostIncoming = 100000;
constexpr std::size_t kMostWaitingSensors = 10000;
constexpr std::size_t kMostWaitingPerSensor = 100;
constexpr Micros kRetryInterval = kMicrosPerSecond;
constexpr Micros kLongestWait = 60 * kMicrosPerSecond;
constexpr Micros kFirstBackoff = kMicrosPerSecond;
constexpr Micros kLongestBackoff = 30 * kMicrosPerSecond;

Poco::Logger& log() {
    return Poco::Logger::get("citysense-api.live");
}

std::string joined(const std::vector<std::string>& parts) {
    std::string text;
    for (const std::string& part : parts)
        text += (text.empty() ? "" : ", ") + part;
    return text;
}

}  // namespace

LiveFeed::LiveFeed(const LiveSettings& settings, ReadingsStore& store, LiveHub& hub)
    : _settings(settings),
      _store(store, settings.driver),
      _hub(hub),
      _decoder(TopicTemplate(settings.topicTemplate), payloadFormatByName(settings.format), Station{},
               settings.driver) {
    _decoder.limitStations(mqtt::StationLimits{});
    _resolver = std::thread([this] { resolveLoop(); });
    _connection = std::thread([this] { connectLoop(); });
}

LiveFeed::~LiveFeed() {
    {
        std::lock_guard<std::mutex> lock(_mutex);
        _stop = true;
    }
    _wake.notify_all();
    _connection.join();
    _resolver.join();
}

bool LiveFeed::stoppedWithin(Micros duration) {
    std::unique_lock<std::mutex> lock(_mutex);
    return _wake.wait_for(lock, std::chrono::microseconds(duration), [&] { return _stop; });
}

void LiveFeed::connectLoop() {
    Micros backoff = kFirstBackoff;
    std::string lastProblem;
    for (;;) {
        {
            std::lock_guard<std::mutex> lock(_mutex);
            if (_stop)
                return;
        }
        bool lost = false;
        try {
            mqtt::Client client(_settings.connection);
            client.paho().set_message_callback([this](::mqtt::const_message_ptr message) {
                const ::mqtt::binary_ref& payload = message->get_payload_ref();
                receive(message->get_topic(), std::string_view(payload.data(), payload.size()));
            });
            client.paho().set_connection_lost_handler([&](const std::string&) {
                {
                    std::lock_guard<std::mutex> lock(_mutex);
                    lost = true;
                }
                _wake.notify_all();
            });
            client.connect();
            for (const std::string& filter : _settings.topics) {
                if (!client.paho().subscribe(filter, 0)->wait_for(_settings.connection.connectTimeout))
                    throw std::runtime_error("cannot subscribe at " + client.describe() + " to " + filter);
            }
            log().information("live stream: subscribed at " + client.describe() + " to " +
                              joined(_settings.topics));
            lastProblem.clear();
            backoff = kFirstBackoff;
            _connected = true;
            {
                std::unique_lock<std::mutex> lock(_mutex);
                _wake.wait(lock, [&] { return _stop || lost; });
            }
            _connected = false;
            if (lost)
                log().warning("live stream: connection to " + client.describe() + " lost; connecting again");
            client.disconnect(std::chrono::milliseconds(1000));
        } catch (const std::exception& error) {  // paho's, and Client's own explanations
            if (lastProblem != error.what())
                log().warning(std::string("live stream: ") + error.what() + " (trying again)");
            lastProblem = error.what();
        }
        _connected = false;
        if (stoppedWithin(backoff))
            return;
        backoff = std::min(backoff * 2, kLongestBackoff);
    }
}

void LiveFeed::receive(const std::string& topic, std::string_view payload) {
    ++_messages;
    SampleBatch samples;
    try {
        _decoder.decode(topic, payload, samples);
    } catch (const PayloadError&) {
        ++_malformed;  // the ingest logs what is wrong with it; here it is only counted
        return;
    }
    if (samples.empty())
        return;
    {
        std::lock_guard<std::mutex> lock(_mutex);
        if (_incoming.size() + samples.size() > kMostIncoming) {
            _queueFull += samples.size();
            return;
        }
        _incoming.insert(_incoming.end(), samples.begin(), samples.end());
    }
    _wake.notify_all();
}

void LiveFeed::resolveLoop() {
    Micros lastRetry = steadyMicros();
    for (;;) {
        std::vector<Sample> samples;
        {
            std::unique_lock<std::mutex> lock(_mutex);
            _wake.wait_for(lock, std::chrono::microseconds(kRetryInterval),
                           [&] { return _stop || !_incoming.empty(); });
            if (_stop)
                return;
            samples.swap(_incoming);
        }
        const Micros steady = steadyMicros();
        for (const Sample& sample : samples)
            resolve(sample, steady);
        if (!_waiting.empty() && steady - lastRetry >= kRetryInterval) {
            retryWaiting(steady);
            lastRetry = steady;
        }
    }
}

std::optional<LiveIds> LiveFeed::lookUp(const SensorKey& key) {
    try {
        const std::optional<LiveIds> ids = _store.find(key.first->station, key.second);
        if (_storeFailing)
            log().information("live stream: the readings store answers again");
        _storeFailing = false;
        if (ids)
            _known[key] = *ids;
        return ids;
    } catch (const Poco::Exception& error) {
        if (!_storeFailing)
            log().warning("live stream: cannot look up sensors in the readings store: " +
                          error.displayText());
        _storeFailing = true;
        return std::nullopt;
    }
}

void LiveFeed::resolve(const Sample& sample, Micros steady) {
    const SensorKey key{sample.source, sample.quantity};
    if (const auto known = _known.find(key); known != _known.end()) {
        publish(sample, known->second);
        return;
    }
    if (const auto waiting = _waiting.find(key); waiting != _waiting.end()) {
        if (waiting->second.samples.size() < kMostWaitingPerSensor)
            waiting->second.samples.push_back(sample);
        else
            ++_unknownSensor;
        return;
    }
    if (const std::optional<LiveIds> ids = lookUp(key)) {
        publish(sample, *ids);
        return;
    }
    if (_waiting.size() >= kMostWaitingSensors) {
        ++_unknownSensor;
        return;
    }
    _waiting[key] = Waiting{steady, steady + kRetryInterval, {sample}};
}

void LiveFeed::retryWaiting(Micros steady) {
    for (auto waiting = _waiting.begin(); waiting != _waiting.end();) {
        if (waiting->second.nextTry > steady) {
            ++waiting;
            continue;
        }
        if (const std::optional<LiveIds> ids = lookUp(waiting->first)) {
            for (const Sample& sample : waiting->second.samples)
                publish(sample, *ids);
            waiting = _waiting.erase(waiting);
        } else if (steady - waiting->second.since >= kLongestWait) {
            _unknownSensor += waiting->second.samples.size();
            waiting = _waiting.erase(waiting);
        } else {
            waiting->second.nextTry = steady + kRetryInterval;
            ++waiting;
        }
    }
}

void LiveFeed::publish(const Sample& sample, const LiveIds& ids) {
    auto observation = std::make_shared<LiveObservation>();
    observation->datastream = ids.datastream;
    observation->thing = ids.thing;
    observation->quantity = sample.quantity;
    observation->system = sample.source->station.system;
    observation->city = sample.source->station.city;
    observation->street = sample.source->station.street;
    observation->data = liveObservationData(ids.datastream, ids.thing, sample.quantity, sample.value,
                                            sample.time, sample.quality);
    _hub.publish(std::move(observation), steadyMicros());
}

std::string LiveFeed::prometheusText() const {
    std::ostringstream out;
    out << "# HELP citysense_api_live_connected Whether the live stream's MQTT subscription is connected\n"
        << "# TYPE citysense_api_live_connected gauge\n"
        << "citysense_api_live_connected " << (_connected ? 1 : 0) << "\n"
        << "# HELP citysense_api_live_messages_total MQTT messages the live stream received\n"
        << "# TYPE citysense_api_live_messages_total counter\n"
        << "citysense_api_live_messages_total " << _messages.load() << "\n"
        << "# HELP citysense_api_live_dropped_total Readings not streamed: a malformed message, the queue "
           "full, a sensor the store did not have within a minute\n"
        << "# TYPE citysense_api_live_dropped_total counter\n"
        << "citysense_api_live_dropped_total{reason=\"malformed_payload\"} " << _malformed.load() << "\n"
        << "citysense_api_live_dropped_total{reason=\"queue_full\"} " << _queueFull.load() << "\n"
        << "citysense_api_live_dropped_total{reason=\"unknown_sensor\"} " << _unknownSensor.load() << "\n";
    return out.str();
}

}  // namespace citysense::api
