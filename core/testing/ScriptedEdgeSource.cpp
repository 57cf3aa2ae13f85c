#include <citysense/testing/ScriptedEdgeSource.h>

namespace citysense::testing {

void ScriptedEdgeSource::add(EdgeEvent event) {
    std::lock_guard<std::mutex> lock(_mutex);
    _events.push_back(event);
}

void ScriptedEdgeSource::addPulses(Micros first, Micros period, int count) {
    for (int i = 0; i < count; ++i)
        add({first + i * period, false});
}

std::optional<EdgeEvent> ScriptedEdgeSource::next(Micros timeout) {
    std::lock_guard<std::mutex> lock(_mutex);
    if (!_events.empty() && _events.front().time <= _now + timeout) {
        const EdgeEvent event = _events.front();
        _events.pop_front();
        if (event.time > _now)
            _now = event.time;
        return event;
    }
    _now += timeout;
    return std::nullopt;
}

Micros ScriptedEdgeSource::now() const {
    std::lock_guard<std::mutex> lock(_mutex);
    return _now;
}

std::size_t ScriptedEdgeSource::pending() const {
    std::lock_guard<std::mutex> lock(_mutex);
    return _events.size();
}

}  // namespace citysense::testing
