// What every plugin (driver, filter, sink) has in common: an option table, a configure step, and the
// identity of the instance it runs as.
#pragma once

#include <citysense/Options.h>
#include <citysense/Sample.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace Poco {
class Logger;
}

namespace citysense {

class DropCounts;
class EventCounts;
class LatestReadings;

/// Who an instance is and what the host lends it: set by the host before configure().
struct InstanceContext {
    std::string name;  ///< "driver.air", "sink.console": the prefix of every log line of the instance
    Station station;
    const Source* source = nullptr;  ///< the instance's own source, for samples it makes
    /// The latest readings of the configuration the instance runs in, owned by the host and alive as
    /// long as the instance (ABI 1.1).
    LatestReadings* latestReadings = nullptr;
    /// Where the instance's drops are counted, owned by the host and alive as long as the instance;
    /// without it the instance counts in a DropCounts of its own (ABI 1.2).
    DropCounts* dropCounts = nullptr;
    /// Where the instance's events are counted, owned by the host and alive as long as the instance;
    /// without it the instance counts in an EventCounts of its own (ABI 1.5).
    EventCounts* eventCounts = nullptr;
};

class Plugin {
public:
    Plugin();
    virtual ~Plugin();

    /// The options this plugin accepts. The same table for every instance of the plugin.
    virtual const OptionTable& options() const = 0;

    /// Receives the validated options. Throw OptionError for a problem with a key the table could not
    /// catch (it is reported with the file and section); acquire no device or connection here.
    virtual void configure(const Options& options) = 0;

    /// Called by the host before configure().
    void attach(const InstanceContext& context);

    const std::string& instanceName() const { return _identity.name; }
    const Station& station() const { return _identity.station; }
    const Source* source() const { return _identity.source; }

    /// A logger named after the instance.
    Poco::Logger& logger() const;

    /// The newest readings the drivers of this instance's configuration delivered (LatestReadings.h),
    /// lent by the host: watch() a quantity in configure(), look it up with latest() when reading.
    /// Throws std::logic_error if the host lent none. Since ABI 1.1.
    LatestReadings& latestReadings() const;

    /// Counts `count` things this instance dropped (a malformed message, a rejected frame, a value it
    /// cannot store) under `reason`: a short fixed snake_case name such as "malformed_payload",
    /// "bad_frame", "non_finite_value". `detail` says what was dropped and why, for the log. The host
    /// logs the first drop of a reason with its detail and then at most one summary line per reason a
    /// minute, and exports the counts per reason in /health and /metrics (DropCounts.h). Callable from
    /// any thread, e.g. a library's callback. Throws std::logic_error before attach(). Since ABI 1.2.
    void countDropped(std::string_view reason, std::uint64_t count = 1, std::string_view detail = {}) const;

    /// What this instance counted with countDropped() (and the host under its own reasons), e.g. for
    /// tests. Throws std::logic_error before attach(). Since ABI 1.2.
    const DropCounts& dropCounts() const;

    /// Counts `count` events named `event` that are not drops but that an operator wants to see the
    /// rate of, such as "failover" (moved to another server) or "conflict_retry" (a transaction run
    /// again): a short fixed snake_case name. The host exports the counts per name in /health
    /// (`events`) and /metrics (`citysense_events_total`); logging the event is the plugin's. Cheap
    /// enough for any path: an atomic increment, with no lock or allocation after the first count of
    /// a name (EventCounts.h). Callable from any thread. Throws std::logic_error before attach().
    /// Since ABI 1.5.
    void countEvent(std::string_view event, std::uint64_t count = 1) const;

    /// What this instance counted with countEvent(), e.g. for tests. Throws std::logic_error before
    /// attach(). Since ABI 1.5.
    const EventCounts& eventCounts() const;

private:
    /// The identity part of the context, laid out as in ABI 1.0: plugins built against it read these
    /// fields inline, through the accessors above.
    struct Identity {
        std::string name;
        Station station;
        const Source* source = nullptr;
    };
    /// What else the host lends an instance: its logger, latest readings, drop and event counts
    /// (Plugin.cpp).
    struct Lent;

    Identity _identity;
    /// One pointer where ABI 1.0 kept the logger's, so that a Plugin is as large as in ABI 1.0.
    std::unique_ptr<Lent> _lent;
};

}  // namespace citysense
