// The running host: sink runners, pipelines and driver runners built from a Plan.
#pragma once

#include "DriverRunner.h"
#include "Pipeline.h"
#include "Plan.h"
#include "PluginRegistry.h"
#include "SinkRunner.h"

#include <citysense/DropCounts.h>
#include <citysense/EventCounts.h>
#include <citysense/LatestReadings.h>
#include <citysense/StopToken.h>

#include <atomic>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

namespace citysense {

/// What the host counts for one instance ("filter.w") and lends it (Plugin::Context): its drops and
/// its events.
struct InstanceCounts {
    explicit InstanceCounts(const std::string& name) : drops(name), events(name) {}

    DropCounts drops;
    EventCounts events;
};

class Engine {
public:
    /// Creates and configures every instance of the plan. Problems a plugin finds in its own
    /// configuration are appended to `issues`; an engine built with errors must not be started.
    /// The registry must outlive the engine: it holds the libraries the instances come from.
    Engine(const Plan& plan, PluginRegistry& registry, std::vector<ConfigIssue>& issues);
    ~Engine();
    Engine(const Engine&) = delete;
    Engine& operator=(const Engine&) = delete;

    /// Starts the sinks and offers each the host's announcement (HostAnnouncement.h), then starts the
    /// drivers, then the timer that flushes filters and logs drop summaries.
    void start();

    /// Reads every polled driver once, delivers, drains the sinks. False if any read failed.
    bool runOnce();

    /// Stops the drivers, flushes the filters, drains and closes the sinks, within shutdown_timeout
    /// (and kCallGrace for a call into a plugin in progress then), and logs what drop counts were not
    /// logged yet. Idempotent.
    ///
    /// An instance whose thread is still inside a call into its plugin after that is abandoned
    /// (CallWatch.h): logged, reported by status() as such, and what its sink queued (with the batch
    /// of that call) goes to the spool or is counted as dropped. The engine's destructor hands it to
    /// AbandonedInstances, which keeps it for the rest of the process.
    void stop();

    /// For a reload, before `successor` starts: stops like stop(), except that the sinks
    /// `successor` has too stop after the write in progress and hand what they still queue to its
    /// sinks of the same names, ahead of anything new; and that each filter of `successor` takes
    /// over the state of its predecessor of the same name, plugin and pipeline (Filter::takeOver(),
    /// plugins of ABI 1.2 and later) before the rest is flushed.
    void handOverTo(Engine& successor);

    /// Every driver's, filter's and sink's status, in that order.
    std::vector<InstanceStatus> status() const;

    /// The control channel of the first sink that offers one (Sink::controlChannel(), sinks of ABI 1.3
    /// and later), or nullptr. It lives as long as the engine.
    ControlChannel* controlChannel() const;

private:
    /// Samples still queued per sink name ("sink.out"), handed from an engine to its replacement.
    using Backlog = std::map<std::string, std::deque<SampleBatch>>;

    void startSinks();
    Backlog stopHandingOver(const std::set<std::string>& handOver, Engine* successor);
    /// Stops the drivers and the ticker; with a `successor`, its filters take over; flushes.
    void stopDriversAndFlush(Micros giveUpAt, Engine* successor);
    void takeOverFilters(Engine& predecessor);
    void tickLoop();
    /// The counts of instance `name` ("filter.w"): one per name, shared by the filter instances of all
    /// pipelines.
    InstanceCounts& countsOf(const std::string& name);
    /// Records that the instance `name` was abandoned in `call`, and logs it with `outcome`.
    void abandoned(const std::string& name, const std::string& call, const std::string& outcome);
    /// Hands the abandoned runners to AbandonedInstances, for good.
    template <typename Runner>
    void retireAbandoned(std::vector<std::unique_ptr<Runner>>& runners);

    PluginRegistry& _registry;
    Micros _shutdownTimeout;
    /// This configuration's, lent to every instance; declared first, so it outlives them all. Shared
    /// with AbandonedInstances, for an abandoned instance that may still use it.
    std::shared_ptr<LatestReadings> _latestReadings = std::make_shared<LatestReadings>();
    /// By instance name; lent to the instances, so declared before them too. Shared with
    /// AbandonedInstances, like the latest readings.
    std::map<std::string, std::shared_ptr<InstanceCounts>> _counts;
    /// The plugin of each filter instance ("filter.minute" -> "window").
    std::map<std::string, std::string> _filterPlugins;
    mutable std::mutex _abandonedMutex;
    /// What each abandoned instance was stuck in ("driver.x" -> "read() did not return within 2s").
    std::map<std::string, std::string> _abandoned;
    std::vector<std::unique_ptr<SinkRunner>> _sinks;
    /// What the host announces to each sink, by qualified name.
    std::map<std::string, Announcement> _announcements;
    std::vector<std::unique_ptr<Pipeline>> _pipelines;
    std::vector<std::unique_ptr<DriverRunner>> _drivers;
    /// Reads the polled drivers; destroyed before them.
    PollScheduler _polls;
    StopToken _tickerStop;
    std::thread _ticker;
    std::atomic<bool> _running{false};  ///< read by status() on the health endpoint's thread
};

}  // namespace citysense
