#include "LiveStream.h"

#include "ApiKeys.h"

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

LiveStream::LiveStream(LiveFilter filter, std::string key, std::size_t capacity, std::uint64_t after)
    : _filter(std::move(filter)), _key(std::move(key)), _capacity(capacity), _after(after) {}

bool LiveStream::offer(const LiveEvent& event) {
    if (_slow || event.id <= _after || !_filter.accepts(*event.observation))
        return false;
    if (_queue.size() < _capacity) {
        _queue.push_back(event);
        return false;
    }
    _slow = true;
    _queue.clear();
    return true;
}

std::vector<LiveEvent> LiveStream::take() {
    std::vector<LiveEvent> taken(_queue.begin(), _queue.end());
    _queue.clear();
    return taken;
}

}  // namespace citysense::api
