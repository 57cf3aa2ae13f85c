// What one instance dropped (a malformed message, a rejected frame, a value a sink cannot store),
// counted by reason. Plugins count through Plugin::countDropped(); the host owns one DropCounts per
// instance, exports the counts in /health and /metrics, and does the logging: the first drop of a
// reason is logged at warning with its detail, later ones in at most one summary line per reason per
// log interval ("dropped 41 more (bad_checksum) ..."). Thread-safe; memory bounded whatever is counted.
#pragma once

#include <citysense/Time.h>

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace citysense {

class DropCounts {
public:
    /// Reasons counted apart; drops for a reason beyond these are counted under kOtherReason.
    static constexpr std::size_t kMostReasons = 32;
    static constexpr const char* kOtherReason = "other";
    /// The longest reason; a reason is snake_case: a-z, 0-9 and '_'.
    static constexpr std::size_t kLongestReason = 48;
    /// Whether `reason` is one: snake_case, at most kLongestReason long. Since ABI 1.5.
    static bool isReason(std::string_view reason);
    static constexpr Micros kDefaultLogInterval = 60 * kMicrosPerSecond;

    /// Logs as `instance` ("driver.air"); `clock` (steadyMicros unless a test gives its own) paces
    /// the summary lines.
    explicit DropCounts(std::string instance, Micros logInterval = kDefaultLogInterval,
                        std::function<Micros()> clock = steadyMicros);
    DropCounts(const DropCounts&) = delete;
    DropCounts& operator=(const DropCounts&) = delete;

    /// Counts `count` drops for `reason`. A reason that is not snake_case, or one beyond kMostReasons,
    /// is counted under kOtherReason, its text kept in the detail. `detail` says what was dropped,
    /// for the log only; it is cut after a few hundred bytes.
    void add(std::string_view reason, std::uint64_t count, std::string_view detail);

    /// Logs a summary line for every reason with drops not logged yet whose last line is at least
    /// the log interval old. The host calls it every second or so, so a burst is reported after it
    /// ended too.
    void logDueSummaries();
    /// Logs a summary line for every reason with drops not logged yet: the host calls it at stop.
    void logAllSummaries();

    /// The count of each reason counted so far.
    std::map<std::string, std::uint64_t> byReason() const;
    /// The count of `reason`; 0 if it was never counted.
    std::uint64_t count(std::string_view reason) const;

private:
    struct Reason {
        explicit Reason(std::string reason) : name(std::move(reason)) {}
        std::string name;
        std::uint64_t total = 0;
        std::uint64_t unlogged = 0;  ///< counted since the last line logged about this reason
        Micros lastLogged = 0;
        std::string lastDetail;
    };

    /// The entry `reason` counts under, made if there is room; `detail` gets the reason's text when it
    /// falls under kOtherReason.
    Reason& entryFor(std::string_view reason, std::string& detail);
    Reason* find(std::string_view reason);
    /// The summary lines that are due (all of them if `all`); their entries count as logged.
    std::vector<std::string> takeSummaries(bool all);
    void log(const std::vector<std::string>& lines) const;

    const std::string _instance;
    const Micros _logInterval;
    const std::function<Micros()> _clock;
    mutable std::mutex _mutex;
    std::vector<Reason> _reasons;  ///< at most kMostReasons + 1 (kOtherReason)
};

}  // namespace citysense
