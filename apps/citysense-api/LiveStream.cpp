#include "LiveStream.h"

#include "ApiKeys.h"

#include <chrono>

namespace citysense::api {

bool LiveFilter::accepts(const LiveObservation& observation) const {
    if (!things.empty() && !things.count(observation.thing))
        return false;
    if (!datastreams.empty() && !datastreams.count(observation.datastream))
        return false;
    if (!quantities.empty() && !quantities.count(observation.quantity))
        return false;
    if (stations.empty())
        return true;
    for (const std::string& pattern : stations) {
        if (matchesStation(pattern, observation.system, observation.city, observation.street))
            return true;
    }
    return false;
}

LiveStream::LiveStream(LiveFilter filter, std::string key, std::size_t capacity, std::function<void()> cutOff)
    : _filter(std::move(filter)), _key(std::move(key)), _capacity(capacity), _cutOff(std::move(cutOff)) {}

bool LiveStream::offer(const LiveEvent& event) {
    {
        std::lock_guard<std::mutex> lock(_mutex);
        if (_slow || _ended)
            return false;
        if (_queue.size() < _capacity) {
            _queue.push_back(event);
            // A thread with events still to take is not waiting for the first, and one gathering more
            // (take()) writes once half the queue is full.
            if (_queue.size() == 1 || _queue.size() == (_capacity + 1) / 2)
                _ready.notify_one();
            return false;
        }
        _slow = true;
        _queue.clear();
    }
    _ready.notify_one();
    _cutOff();
    return true;
}

void LiveStream::end() {
    {
        std::lock_guard<std::mutex> lock(_mutex);
        _ended = true;
    }
    _ready.notify_one();
}

LiveStream::Taken LiveStream::take(Micros timeout, Micros gather) {
    std::unique_lock<std::mutex> lock(_mutex);
    const auto done = [&] { return _slow || _ended; };
    if (_ready.wait_for(lock, std::chrono::microseconds(timeout),
                        [&] { return !_queue.empty() || done(); }) &&
        !done() && gather > 0)
        _ready.wait_for(lock, std::chrono::microseconds(gather),
                        [&] { return done() || _queue.size() >= (_capacity + 1) / 2; });
    Taken taken;
    taken.slow = _slow;
    taken.ended = _ended;
    taken.events.assign(_queue.begin(), _queue.end());
    _queue.clear();
    return taken;
}

}  // namespace citysense::api
