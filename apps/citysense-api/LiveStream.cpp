#include "LiveStream.h"

namespace citysense::api {

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
