#include "LiveHub.h"

#include <algorithm>
#include <sstream>

namespace citysense::api {

LiveHub::LiveHub(std::size_t windowEvents, Micros windowAge, std::size_t queueEvents)
    : _windowEvents(windowEvents),
      _windowAge(windowAge),
      _queueEvents(queueEvents),
      _lastId(static_cast<std::uint64_t>(nowMicros())) {}

void LiveHub::forgetOld(Micros steady) {
    while (!_window.empty() &&
           (_window.size() > _windowEvents || steady - _window.front().received > _windowAge))
        _window.pop_front();
}

void LiveHub::publish(std::shared_ptr<const LiveObservation> observation, Micros steady) {
    std::lock_guard<std::mutex> lock(_mutex);
    const LiveEvent event = liveEvent(++_lastId, steady, std::move(observation));
    ++_published;
    if (_windowEvents > 0) {
        _window.push_back(event);
        forgetOld(steady);
    }
    _fresh.push_back(event);
    if (_fresh.size() == 1 && _wake)
        _wake();
}

void LiveHub::wakeWith(std::function<void()> wake) {
    std::lock_guard<std::mutex> lock(_mutex);
    _wake = std::move(wake);
}

LiveHub::Collected LiveHub::collect() {
    Collected collected;
    std::lock_guard<std::mutex> lock(_mutex);
    collected.events.swap(_fresh);
    collected.streams = _streams;
    collected.ended = _ended;
    return collected;
}

LiveHub::Opening LiveHub::open(LiveFilter filter, const std::string& key, int keyLimit, int totalLimit,
                               std::optional<std::uint64_t> after, Micros steady) {
    Opening opening;
    std::lock_guard<std::mutex> lock(_mutex);
    if (_ended) {
        opening.refusal = Refusal::Ended;
        return opening;
    }
    if (static_cast<int>(_streams.size()) >= totalLimit) {
        ++_refusedTotalLimit;
        opening.refusal = Refusal::TotalLimit;
        return opening;
    }
    int& ofKey = _streamsOfKey[key];
    if (ofKey >= keyLimit) {
        ++_refusedKeyLimit;
        opening.refusal = Refusal::KeyLimit;
        return opening;
    }
    ++ofKey;
    opening.stream = std::make_shared<LiveStream>(std::move(filter), key, _queueEvents, _lastId);
    _streams.push_back(opening.stream);
    if (!after)
        return opening;
    forgetOld(steady);
    // The events after `after` are those kept, if the window reaches back to it.
    const std::uint64_t keptAfter = _window.empty() ? _lastId : _window.front().id - 1;
    if (*after > _lastId || *after < keptAfter) {
        const std::string resumed = std::to_string(keptAfter);
        opening.gap = "{\"lastEventId\":" + std::to_string(*after) + ",\"resumesAfter\":" + resumed +
                      ",\"message\":\"events after " + std::to_string(*after) +
                      " are no longer kept (or were never sent by this run of the service): the "
                      "stream resumes after " +
                      resumed + ", some events in between are missing\"}";
    }
    for (const LiveEvent& event : _window) {
        if (event.id > *after && opening.stream->filter().accepts(*event.observation))
            opening.backlog.push_back(event);
    }
    return opening;
}

void LiveHub::close(const std::shared_ptr<LiveStream>& stream) {
    std::lock_guard<std::mutex> lock(_mutex);
    const auto found = std::find(_streams.begin(), _streams.end(), stream);
    if (found == _streams.end())
        return;
    _streams.erase(found);
    if (--_streamsOfKey[stream->key()] == 0)
        _streamsOfKey.erase(stream->key());
}

void LiveHub::endAll() {
    std::lock_guard<std::mutex> lock(_mutex);
    _ended = true;
    if (_fresh.empty() && _wake)
        _wake();
}

std::string LiveHub::prometheusText() const {
    std::size_t open = 0;
    {
        std::lock_guard<std::mutex> lock(_mutex);
        open = _streams.size();
    }
    std::ostringstream out;
    out << "# HELP citysense_api_live_streams Live streams (/v1.1/live) open\n"
        << "# TYPE citysense_api_live_streams gauge\n"
        << "citysense_api_live_streams " << open << "\n"
        << "# HELP citysense_api_live_events_published_total Readings numbered for the live stream\n"
        << "# TYPE citysense_api_live_events_published_total counter\n"
        << "citysense_api_live_events_published_total " << _published.load() << "\n"
        << "# HELP citysense_api_live_events_sent_total Events written to live stream clients (handed to "
           "their connections: a client cut off may not have received the last of them)\n"
        << "# TYPE citysense_api_live_events_sent_total counter\n"
        << "citysense_api_live_events_sent_total " << _sent.load() << "\n"
        << "# HELP citysense_api_live_slow_consumers_total Live stream clients disconnected for letting "
           "their queue overflow\n"
        << "# TYPE citysense_api_live_slow_consumers_total counter\n"
        << "citysense_api_live_slow_consumers_total " << _slow.load() << "\n"
        << "# HELP citysense_api_live_connections_not_taken_over_total Live stream connections the writer "
           "could not take over once their request was answered (closed at once, logged)\n"
        << "# TYPE citysense_api_live_connections_not_taken_over_total counter\n"
        << "citysense_api_live_connections_not_taken_over_total " << _notTakenOver.load() << "\n"
        << "# HELP citysense_api_live_streams_refused_total Live streams refused: the key's limit (429), "
           "the service's (503)\n"
        << "# TYPE citysense_api_live_streams_refused_total counter\n"
        << "citysense_api_live_streams_refused_total{reason=\"key_limit\"} " << _refusedKeyLimit.load()
        << "\n"
        << "citysense_api_live_streams_refused_total{reason=\"total_limit\"} " << _refusedTotalLimit.load()
        << "\n";
    return out.str();
}

}  // namespace citysense::api
