// The end-to-end latency bench's view of the broker: a second subscriber to the gateway's readings,
// beside the ingest, noting when the broker delivered each reading. A reading's delivery latency is that
// moment minus its timestamp (the driver's read, in the tsv payload); with the row's latency it splits
// the path in two: gateway → broker → a subscriber's callback, and the ingest → the committed row.
#pragma once

#include <citysense/Time.h>

#include <mqtt/async_client.h>

#include <mutex>
#include <string>
#include <vector>

namespace citysense::bench {

struct ObserverSettings {
    std::string uri;  ///< tcp://host:port; empty: no observer
    std::string username;
    std::string passwordFile;
    std::string filter = "hypo_city/#";
};

/// A reading's timestamp and the moment the broker delivered it here.
struct Delivery {
    Micros time;
    Micros delivered;
};

class LatencyObserver {
public:
    /// Connects (clean session) and subscribes to the readings at QoS 1, as the ingest does.
    explicit LatencyObserver(const ObserverSettings& settings);
    ~LatencyObserver();
    LatencyObserver(const LatencyObserver&) = delete;
    LatencyObserver& operator=(const LatencyObserver&) = delete;

    /// What was delivered so far; the list starts over.
    std::vector<Delivery> take();

private:
    ::mqtt::async_client _client;
    std::mutex _mutex;
    std::vector<Delivery> _deliveries;
};

/// "YYYY-MM-DD HH:MM:SS[.ffffff]" (UTC) to microseconds since the epoch; throws std::runtime_error.
Micros parseSqlTime(const char* text);

}  // namespace citysense::bench
