// The running host: sink runners, pipelines and driver runners built from a Plan.
#pragma once

#include "DriverRunner.h"
#include "Pipeline.h"
#include "Plan.h"
#include "PluginRegistry.h"
#include "SinkRunner.h"

#include <citysense/StopToken.h>

#include <memory>
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

    /// Starts the sinks, then the drivers, then the timer that flushes filters.
    void start();

    /// Reads every polled driver once, delivers, drains the sinks. False if any read failed.
    bool runOnce();

    /// Stops the drivers, flushes the filters, drains and closes the sinks. Idempotent.
    void stop();

    std::vector<InstanceStatus> status() const;

private:
    void startSinks();
    void stopSinks();
    void tickLoop();

    Micros _shutdownTimeout;
    std::vector<std::unique_ptr<SinkRunner>> _sinks;
    std::vector<std::unique_ptr<Pipeline>> _pipelines;
    std::vector<std::unique_ptr<DriverRunner>> _drivers;
    StopToken _tickerStop;
    std::thread _ticker;
    bool _running = false;
};

}  // namespace citysense
