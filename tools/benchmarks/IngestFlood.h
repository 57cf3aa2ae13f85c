// The ingest-throughput bench's gateways: many MQTT connections in one process, each its own identity
// and station, publishing tsv readings at QoS 1 as fast as the broker acknowledges them, at most
// `window` unacknowledged a connection (a gateway's mqtt sink has max_inflight). Each reading has a time
// of its own (a gateway's readings one microsecond apart), so the readings key (sensor, time) tells
// every reading apart and a reading stored twice cannot hide.
#pragma once

#include <citysense/Time.h>

#include <mqtt/async_client.h>

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace citysense::bench {

struct FloodSettings {
    std::string uri;             ///< tcp://host:port
    std::string identitiesFile;  ///< "user password" per line; user gw_city_01_street_NNNNN
    std::size_t gateways = 100;
    std::size_t window = 100;  ///< unacknowledged publishes a connection
};

class IngestFlood {
public:
    /// Reads the identities; connects nothing yet.
    explicit IngestFlood(const FloodSettings& settings);
    ~IngestFlood();
    IngestFlood(const IngestFlood&) = delete;
    IngestFlood& operator=(const IngestFlood&) = delete;

    /// Connects every gateway (clean session); throws when one is refused.
    void connect();
    /// Publishes until `until` (nowMicros()) or stop(), then waits up to 30 s for the acknowledgements.
    void publishUntil(Micros until);
    /// Ends publishUntil() early; callable from any thread.
    void stop() { _stopping = true; }

    std::size_t published() const { return _published; }
    std::size_t acknowledged() const { return _acknowledged; }
    std::size_t refused() const { return _refused; }

private:
    struct Gateway;
    class Acknowledgements : public ::mqtt::iaction_listener {
    public:
        Acknowledgements(IngestFlood& flood, Gateway& gateway) : _flood(flood), _gateway(gateway) {}
        void on_success(const ::mqtt::token&) override;
        void on_failure(const ::mqtt::token&) override;

    private:
        IngestFlood& _flood;
        Gateway& _gateway;
    };
    struct Gateway {
        std::unique_ptr<::mqtt::async_client> client;
        std::string password;
        std::string prefix;  ///< hypo_city/city_01/street_NNNNN/
        std::atomic<std::size_t> inflight{0};
        std::size_t next = 0;  ///< readings published
        std::unique_ptr<Acknowledgements> listener;
    };
    void answered(Gateway& gateway);

    FloodSettings _settings;
    std::vector<std::unique_ptr<Gateway>> _gateways;
    Micros _base;  ///< the time of every gateway's first reading
    std::atomic<bool> _stopping{false};
    std::atomic<std::size_t> _published{0};
    std::atomic<std::size_t> _acknowledged{0};
    std::atomic<std::size_t> _refused{0};
    std::mutex _mutex;
    std::condition_variable _room;  ///< a connection's window has room again
};

}  // namespace citysense::bench
