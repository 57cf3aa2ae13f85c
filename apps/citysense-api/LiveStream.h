// One client's live stream: what it asked for (LiveFilter), and the events waiting to be written to it.
// Only the writer thread (LiveWriter) touches a stream once it is open: it offers each published event
// and takes what waits, so a stream needs no lock and never wakes a thread of its own. A stream that
// lets `capacity` events wait is slow: it takes no more, and the writer cuts its client off.
#pragma once

#include "LiveEvent.h"
#include "LiveFilter.h"

#include <cstdint>
#include <deque>
#include <set>
#include <string>
#include <vector>

namespace citysense::api {

class LiveStream {
public:
    /// `after`: the last event published before it opened; it gets only those after it.
    LiveStream(LiveFilter filter, std::string key, std::size_t capacity, std::uint64_t after);

    const LiveFilter& filter() const { return _filter; }
    /// The name of the key it was opened with.
    const std::string& key() const { return _key; }

    /// Queues `event` when the stream wants it (published after it opened, let through by its filter);
    /// when `capacity` events wait already, marks the stream slow instead. True only then (once).
    bool offer(const LiveEvent& event);
    /// Whether it let `capacity` events wait: its client is cut off.
    bool slow() const { return _slow; }
    /// The events waiting, in order; none wait after.
    std::vector<LiveEvent> take();

private:
    const LiveFilter _filter;
    const std::string _key;
    const std::size_t _capacity;
    const std::uint64_t _after;
    std::deque<LiveEvent> _queue;
    bool _slow = false;
};

}  // namespace citysense::api
