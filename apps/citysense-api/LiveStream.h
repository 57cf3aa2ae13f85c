// One client's live stream: what it asked for (LiveFilter), and the events waiting to be written to it.
// The hub queues events without ever waiting for the client; the stream's own server thread takes them
// and writes them. A client that lets `capacity` events wait is slow: its queue takes no more, and its
// connection is cut off (`cutOff`, which also ends a write the thread is blocked in), so it never holds
// up the hub or the other streams.
#pragma once

#include "LiveEvent.h"

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <set>
#include <string>
#include <vector>

namespace citysense::api {

/// Which events a stream gets: those the request's filters (each empty: any) and the key's station
/// patterns (empty: every station) all let through.
struct LiveFilter {
    std::set<std::int64_t> things;
    std::set<std::int64_t> datastreams;
    std::set<Quantity> quantities;
    std::vector<std::string> stations;

    bool accepts(const LiveObservation& observation) const;
};

class LiveStream {
public:
    LiveStream(LiveFilter filter, std::string key, std::size_t capacity, std::function<void()> cutOff);

    const LiveFilter& filter() const { return _filter; }
    /// The name of the key it was opened with.
    const std::string& key() const { return _key; }

    /// Queues `event`, or, when `capacity` events wait already, marks the stream slow and cuts it off;
    /// true only then (once).
    bool offer(const LiveEvent& event);
    /// Ends the stream: the service is stopping.
    void end();

    struct Taken {
        std::vector<LiveEvent> events;
        bool slow = false;   ///< cut off for letting too many events wait
        bool ended = false;  ///< end() was called
    };
    /// The events waiting, after waiting at most `timeout` for one, and then `gather` for more to come
    /// with it (unless half the queue fills up first): one wake-up and one write for a burst of
    /// events, not one each.
    Taken take(Micros timeout, Micros gather);

private:
    const LiveFilter _filter;
    const std::string _key;
    const std::size_t _capacity;
    const std::function<void()> _cutOff;
    std::mutex _mutex;
    std::condition_variable _ready;
    std::deque<LiveEvent> _queue;
    bool _slow = false;
    bool _ended = false;
};

}  // namespace citysense::api
