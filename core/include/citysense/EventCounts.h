// What one instance counted of events that are not drops (a failover to another server, a transaction
// run again after a conflict), by name. Plugins count through Plugin::countEvent(); the host owns one
// EventCounts per instance and exports the counts in /health and /metrics. Counting a name counted
// before is one atomic increment: no lock and no allocation, from any thread; the first count of a name
// takes a lock and makes its counter. Logging is the plugin's: the counts log nothing, but the first
// name they count under kOtherEvent. Memory bounded whatever is counted.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

namespace citysense {

class EventCounts {
public:
    /// Events counted apart; events of a name beyond these are counted under kOtherEvent.
    static constexpr std::size_t kMostEvents = 32;
    static constexpr const char* kOtherEvent = "other";

    /// Logs as `instance` ("sink.db").
    explicit EventCounts(std::string instance);
    EventCounts(const EventCounts&) = delete;
    EventCounts& operator=(const EventCounts&) = delete;

    /// Counts `count` events named `event`. A name that is not snake_case (a-z, 0-9 and '_', at most
    /// DropCounts::kLongestReason long, the rule of a drop's reason), or one beyond kMostEvents, is
    /// counted under kOtherEvent, and the first such name is logged at warning.
    void add(std::string_view event, std::uint64_t count = 1);

    /// The count of each name counted so far (kOtherEvent only once something was counted under it).
    std::map<std::string, std::uint64_t> byName() const;
    /// The count of `event`; 0 if it was never counted.
    std::uint64_t count(std::string_view event) const;

private:
    struct Counter {
        explicit Counter(std::string_view event) : name(event) {}
        const std::string name;
        std::atomic<std::uint64_t> count{0};
    };

    /// The counter of `event` among those made, or nullptr; without a lock.
    std::atomic<std::uint64_t>* find(std::string_view event) const;
    /// The counter `event` counts under, made if there is room.
    std::atomic<std::uint64_t>& counterFor(std::string_view event);

    const std::string _instance;
    std::mutex _making;  ///< held while a counter is made, never while counting
    /// The first _made are set, each before _made counts it, and never change after.
    std::array<std::unique_ptr<Counter>, kMostEvents> _counters;
    std::atomic<std::size_t> _made{0};
    std::atomic<std::uint64_t> _other{0};
    std::atomic<bool> _otherLogged{false};
};

}  // namespace citysense
