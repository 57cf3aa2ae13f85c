// The running host: sink runners, pipelines and driver runners built from a Plan.
#pragma once

#include "DriverRunner.h"
#include "Pipeline.h"
#include "Plan.h"
#include "PluginRegistry.h"
#include "SinkRunner.h"

#include <citysense/DropCounts.h>
#include <citysense/LatestReadings.h>
#include <citysense/StopToken.h>

#include <atomic>
#include <deque>
#include <map>
#include <memory>
#include <set>
#include <thread>
#include <vector>

namespace citysense {

class Engine {
public:
    /// Creates and configures every instance of the plan. Problems a plugin finds in its own
    /// configuration are appended to `issues`; an engine built with errors must not be started.
    /// The registry must outlive the engine: it holds the libraries the instances come from.
    Engine(const Plan& plan, PluginRegistry& registry, std::vector<ConfigIssue>& issues);
    ~Engine();
    Engine(const Engine&) = delete;
    Engine& operator=(const Engine&) = delete;

    /// Starts the sinks, then the drivers, then the timer that flushes filters and logs drop summaries.
    void start();

    /// Reads every polled driver once, delivers, drains the sinks. False if any read failed.
    bool runOnce();

    /// Stops the drivers, flushes the filters, drains and closes the sinks, logs what drop counts were
    /// not logged yet. Idempotent.
    void stop();

    /// Samples still queued per sink name ("sink.out"), handed from an engine to its replacement.
    using Backlog = std::map<std::string, std::deque<SampleBatch>>;

    /// For a reload: stops like stop(), except that the sinks named in `handOver` stop after the
    /// write in progress and give up what they still queue, instead of draining it.
    Backlog stopForReload(const std::set<std::string>& handOver);

    /// Queues a predecessor's backlog on the sinks of the same names, ahead of anything new; call
    /// before start().
    void adopt(Backlog&& backlog);

    /// The sink instance names ("sink.out").
    std::set<std::string> sinkNames() const;

    /// Every driver's, filter's and sink's status, in that order.
    std::vector<InstanceStatus> status() const;

private:
    void startSinks();
    void stopDriversAndFlush();
    void tickLoop();
    /// The drop counts of instance `name` ("filter.w"): one per name, shared by the filter instances
    /// of all pipelines.
    DropCounts& dropCountsOf(const std::string& name);

    Micros _shutdownTimeout;
    /// This configuration's, lent to every instance; declared first, so it outlives them all.
    LatestReadings _latestReadings;
    /// By instance name; lent to the instances, so declared before them too.
    std::map<std::string, DropCounts> _dropCounts;
    /// The plugin of each filter instance name, for its status.
    std::map<std::string, std::string> _filterPlugins;
    std::vector<std::unique_ptr<SinkRunner>> _sinks;
    std::vector<std::unique_ptr<Pipeline>> _pipelines;
    std::vector<std::unique_ptr<DriverRunner>> _drivers;
    StopToken _tickerStop;
    std::thread _ticker;
    std::atomic<bool> _running{false};  ///< read by status() on the health endpoint's thread
};

}  // namespace citysense
