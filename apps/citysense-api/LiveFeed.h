// What feeds the live stream: citysense-api's own MQTT subscription (mqtt-client: the connection every
// citysense client makes, the Decoder the ingest uses), as an identity that may only read. Two threads:
// - the connection's: connects, subscribes, and connects again after a loss (1 s, doubling to 30 s);
//   paho's callback only decodes a message and queues its readings (at most 100,000 wait; more are
//   dropped and counted), so it never waits for the store;
// - the resolver's: finds each reading's Datastream and Thing (LiveStore, cached for good once found)
//   and publishes it to the hub. A reading of a sensor the store does not have yet (the ingest writes
//   it at about the same time) waits, in order with the sensor's later readings, and is looked up
//   again every second for a minute; then it is dropped and counted. At most 10,000 sensors wait, at
//   most 100 readings each.
#pragma once

#include "LiveHub.h"
#include "LiveSettings.h"
#include "LiveStore.h"

#include <mqtt-client/Decoder.h>

#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace citysense::api {

class LiveFeed {
public:
    /// Starts both threads; the first connection is made in the background (the log says how it went).
    LiveFeed(const LiveSettings& settings, ReadingsStore& store, LiveHub& hub);
    ~LiveFeed();
    LiveFeed(const LiveFeed&) = delete;
    LiveFeed& operator=(const LiveFeed&) = delete;

    /// The Prometheus text of the subscription: connected, messages, readings dropped by reason.
    std::string prometheusText() const;

private:
    using SensorKey = std::pair<const Source*, Quantity>;
    struct Waiting {
        Micros since = 0;
        Micros nextTry = 0;
        std::vector<Sample> samples;
    };

    void connectLoop();
    void resolveLoop();
    void receive(const std::string& topic, std::string_view payload);
    /// Publishes `sample`, or keeps it waiting for its sensor.
    void resolve(const Sample& sample, Micros steady);
    void retryWaiting(Micros steady);
    std::optional<LiveIds> lookUp(const SensorKey& key);
    void publish(const Sample& sample, const LiveIds& ids);
    /// Waits `duration` or until stopped; true when stopped.
    bool stoppedWithin(Micros duration);

    const LiveSettings _settings;
    LiveStore _store;
    LiveHub& _hub;
    mqtt::Decoder _decoder;  ///< on paho's callback thread only

    std::mutex _mutex;  ///< for the three below
    std::condition_variable _wake;
    bool _stop = false;
    std::vector<Sample> _incoming;

    // The resolver thread's own.
    std::map<SensorKey, LiveIds> _known;
    std::map<SensorKey, Waiting> _waiting;
    bool _storeFailing = false;

    std::atomic<bool> _connected{false};
    std::atomic<std::uint64_t> _messages{0};
    std::atomic<std::uint64_t> _malformed{0};
    std::atomic<std::uint64_t> _queueFull{0};
    std::atomic<std::uint64_t> _unknownSensor{0};
    std::thread _resolver;
    std::thread _connection;
};

}  // namespace citysense::api
