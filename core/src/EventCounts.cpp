#include <citysense/DropCounts.h>
#include <citysense/EventCounts.h>
#include <citysense/Format.h>

#include <Poco/Logger.h>

namespace citysense {

EventCounts::EventCounts(std::string instance) : _instance(std::move(instance)) {}

void EventCounts::add(std::string_view event, std::uint64_t count) {
    if (count == 0)
        return;
    std::atomic<std::uint64_t>* counter = find(event);
    if (!counter)
        counter = &counterFor(event);
    counter->fetch_add(count, std::memory_order_relaxed);
}

std::atomic<std::uint64_t>* EventCounts::find(std::string_view event) const {
    // Acquire: the counters below _made are set before it counts them (counterFor's release).
    const std::size_t made = _made.load(std::memory_order_acquire);
    for (std::size_t i = 0; i < made; ++i) {
        if (_counters[i]->name == event)
            return &_counters[i]->count;
    }
    return nullptr;
}

std::atomic<std::uint64_t>& EventCounts::counterFor(std::string_view event) {
    if (DropCounts::isReason(event) && event != kOtherEvent && _made.load() < kMostEvents) {
        std::lock_guard<std::mutex> lock(_making);
        if (std::atomic<std::uint64_t>* counter = find(event))
            return *counter;  // made by another thread meanwhile
        const std::size_t made = _made.load(std::memory_order_relaxed);
        if (made < kMostEvents) {
            _counters[made] = std::make_unique<Counter>(event);
            _made.store(made + 1, std::memory_order_release);
            return _counters[made]->count;
        }
    }
    if (event != kOtherEvent && !_otherLogged.exchange(true))
        Poco::Logger::get(_instance).warning(
            "counted event " + quoteText(event, DropCounts::kLongestReason) + " as \"" + kOtherEvent +
            "\": an event's name is snake_case, and " + std::to_string(kMostEvents) +
            " names at most are counted apart");
    return _other;
}

std::map<std::string, std::uint64_t> EventCounts::byName() const {
    std::map<std::string, std::uint64_t> counts;
    const std::size_t made = _made.load(std::memory_order_acquire);
    for (std::size_t i = 0; i < made; ++i)
        counts[_counters[i]->name] = _counters[i]->count.load(std::memory_order_relaxed);
    if (const std::uint64_t other = _other.load(std::memory_order_relaxed))
        counts[kOtherEvent] = other;
    return counts;
}

std::uint64_t EventCounts::count(std::string_view event) const {
    if (event == kOtherEvent)
        return _other.load(std::memory_order_relaxed);
    const std::atomic<std::uint64_t>* counter = find(event);
    return counter ? counter->load(std::memory_order_relaxed) : 0;
}

}  // namespace citysense
