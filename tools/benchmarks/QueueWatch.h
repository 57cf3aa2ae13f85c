// The end-to-end latency bench's look into the gateway: how many samples wait in its mqtt sink's queue,
// read from the gateway's /metrics (citysense_queue_depth) ten times a second on a thread of its own. A
// stall before the broker's delivery with a deep queue is the gateway's publishing falling behind (its
// sink waits for every acknowledgement of a batch before it takes the next); one with an empty queue is
// the broker's or the network's. A line of the metric whose value is not a number is skipped and counted.
#pragma once

#include <citysense/Time.h>

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace citysense::bench {

class QueueWatch {
public:
    /// Watches sink `instance` ("sink.broker") of the host whose /metrics is on 127.0.0.1:`port`.
    QueueWatch(unsigned port, std::string instance);
    ~QueueWatch();
    QueueWatch(const QueueWatch&) = delete;
    QueueWatch& operator=(const QueueWatch&) = delete;

    /// Each reading so far: when (nowMicros()) and the queue's depth then; the list starts over.
    std::vector<std::pair<Micros, double>> take();

    /// Lines of the metric skipped so far because their value was not a number.
    std::uint64_t malformed() const { return _malformed; }

private:
    double depth();

    const unsigned _port;
    const std::string _prefix;  ///< the metric's line up to its value
    std::atomic<bool> _stopping{false};
    std::atomic<std::uint64_t> _malformed{0};
    std::mutex _mutex;
    std::vector<std::pair<Micros, double>> _depths;
    std::thread _thread;
};

}  // namespace citysense::bench
