#include "Engine.h"

#include "CurrentException.h"

#include <Poco/Logger.h>

#include <algorithm>
#include <filesystem>
#include <limits>
#include <map>

namespace citysense {

namespace {

constexpr Micros kFilterFlushInterval = kMicrosPerSecond;
constexpr Micros kFirstSinkRetry = 500 * 1000;

/// Creates, attaches and configures an instance; a problem it reports becomes an issue of its
/// section. Nothing if the plugin's constructor failed.
template <typename Instance, typename Create>
std::unique_ptr<Instance> configured(Create&& create, const InstancePlan& plan, const Station& station,
                                     LatestReadings& latestReadings, std::vector<ConfigIssue>* issues) {
    const std::string name = plan.qualifiedName();
    std::unique_ptr<Instance> instance;
    try {
        instance = create(plan.plugin);
        instance->attach({name, station, Source::intern(station, name), &latestReadings});
        instance->configure(plan.options);
    } catch (const OptionError& error) {
        if (issues)
            issues->push_back({"[" + name + "]", error.key(), error.what()});
    } catch (...) {
        if (issues)
            issues->push_back({"[" + name + "]", "",
                               (instance ? "" : "creating the instance failed: ") + currentExceptionText()});
    }
    return instance;
}

/// Where the sink's spool lives: its own directory under spool_dir, named after the instance.
SpoolSettings spoolSettings(const Plan& plan, const InstancePlan& sink) {
    SpoolSettings settings;
    if (!sink.options.getBool("spool") || plan.host.spoolDir.empty())
        return settings;
    settings.directory = (std::filesystem::path(plan.host.spoolDir) / sink.qualifiedName()).string();
    settings.sizeBound = sink.options.getByteSize("spool_size");
    settings.deadLetterBound = sink.options.getByteSize("dead_letter_size");
    return settings;
}

/// The runners by qualified name ("sink.out"), so that wiring thousands of instances stays linear.
template <typename Runner>
std::map<std::string, Runner*> byName(const std::vector<std::unique_ptr<Runner>>& runners) {
    std::map<std::string, Runner*> index;
    for (const auto& runner : runners)
        index.emplace(runner->name(), runner.get());
    return index;
}

}  // namespace

Engine::Engine(const Plan& plan, PluginRegistry& registry, std::vector<ConfigIssue>& issues)
    : _shutdownTimeout(plan.host.shutdownTimeout) {
    const Station& station = plan.host.station;
    const auto createSink = [&](const std::string& plugin) { return registry.createSink(plugin); };
    const auto createDriver = [&](const std::string& plugin) { return registry.createDriver(plugin); };
    const auto createFilter = [&](const std::string& plugin) { return registry.createFilter(plugin); };
    for (const auto& sink : plan.sinks) {
        if (auto instance = configured<Sink>(createSink, sink, station, _latestReadings, &issues)) {
            _sinks.push_back(std::make_unique<SinkRunner>(
                std::move(instance), sink.plugin, static_cast<std::size_t>(sink.options.getInt("queue_size")),
                static_cast<std::size_t>(sink.options.getInt("batch_size")),
                Backoff(kFirstSinkRetry, sink.options.getDuration("max_backoff")), spoolSettings(plan, sink),
                static_cast<unsigned>(sink.options.getInt("max_attempts"))));
            _sinks.back()->setBatchInterval(sink.options.getDuration("batch_interval"));
        }
    }
    for (const auto& driver : plan.drivers) {
        if (auto instance = configured<Driver>(createDriver, driver, station, _latestReadings, &issues)) {
            _drivers.push_back(std::make_unique<DriverRunner>(std::move(instance), driver.plugin,
                                                              driver.options.getDuration("interval"),
                                                              driver.options.getDuration("max_backoff")));
            _drivers.back()->recordLatestIn(_latestReadings);
        }
    }
    std::map<std::string, const InstancePlan*> filters;
    for (const auto& filter : plan.filters)
        filters[filter.name] = &filter;
    std::set<std::string> filtersChecked;
    const auto sinksByName = byName(_sinks);
    const auto driversByName = byName(_drivers);
    for (const auto& pipelinePlan : plan.pipelines) {
        // Each pipeline has its own instance of a filter, so filter state never mixes pipelines.
        std::vector<std::unique_ptr<Filter>> chain;
        for (const auto& name : pipelinePlan.filters) {
            const auto found = filters.find(name);
            if (found == filters.end())
                continue;
            const bool firstUse = filtersChecked.insert(name).second;
            if (auto filter = configured<Filter>(createFilter, *found->second, station, _latestReadings,
                                                 firstUse ? &issues : nullptr))
                chain.push_back(std::move(filter));
        }
        std::vector<SinkRunner*> sinks;
        for (const auto& name : pipelinePlan.sinks) {
            if (const auto sink = sinksByName.find("sink." + name); sink != sinksByName.end())
                sinks.push_back(sink->second);
        }
        _pipelines.push_back(
            std::make_unique<Pipeline>(pipelinePlan.name, std::move(chain), std::move(sinks)));
        for (const auto& name : pipelinePlan.drivers) {
            if (const auto driver = driversByName.find("driver." + name); driver != driversByName.end())
                driver->second->feed(_pipelines.back().get());
        }
    }
}

Engine::~Engine() {
    stop();
}

void Engine::startSinks() {
    for (auto& sink : _sinks)
        sink->start();
}

void Engine::start() {
    startSinks();
    for (auto& driver : _drivers)
        driver->start();
    const bool anyFilters = std::any_of(_pipelines.begin(), _pipelines.end(),
                                        [](const auto& pipeline) { return pipeline->hasFilters(); });
    if (anyFilters)
        _ticker = std::thread([this] { tickLoop(); });
    _running = true;
}

void Engine::tickLoop() {
    while (!_tickerStop.waitFor(kFilterFlushInterval)) {
        const Micros now = nowMicros();
        for (auto& pipeline : _pipelines)
            pipeline->flush(now);
    }
}

bool Engine::runOnce() {
    startSinks();
    _running = true;
    bool allRead = true;
    for (auto& driver : _drivers)
        allRead = driver->readOnce() && allRead;
    stop();
    return allRead;
}

void Engine::stop() {
    stopForReload({});
}

Engine::Backlog Engine::stopForReload(const std::set<std::string>& handOver) {
    Backlog backlog;
    if (!_running)
        return backlog;
    _running = false;
    stopDriversAndFlush();
    // Every draining sink gets the same deadline, so stopping takes shutdown_timeout at most in all.
    const Micros deadline = nowMicros() + _shutdownTimeout;
    for (auto& sink : _sinks) {
        if (!handOver.count(sink->name()))
            sink->beginDrain(deadline);
    }
    for (auto& sink : _sinks) {
        if (handOver.count(sink->name()))
            backlog[sink->name()] = sink->stopAndTakeQueue();
        else
            sink->join();
    }
    return backlog;
}

void Engine::adopt(Backlog&& backlog) {
    const auto sinksByName = byName(_sinks);
    for (auto& [name, batches] : backlog) {
        if (const auto sink = sinksByName.find(name); sink != sinksByName.end()) {
            for (auto& batch : batches)
                sink->second->enqueue(std::move(batch));
        }
    }
}

std::set<std::string> Engine::sinkNames() const {
    std::set<std::string> names;
    for (const auto& sink : _sinks)
        names.insert(sink->name());
    return names;
}

void Engine::stopDriversAndFlush() {
    for (auto& driver : _drivers)
        driver->requestStop();
    for (auto& driver : _drivers)
        driver->stop();
    _tickerStop.requestStop();
    if (_ticker.joinable())
        _ticker.join();
    for (auto& pipeline : _pipelines)
        pipeline->flush(std::numeric_limits<Micros>::max());
}

std::vector<InstanceStatus> Engine::status() const {
    std::vector<InstanceStatus> result;
    for (const auto& driver : _drivers)
        result.push_back(driver->status());
    for (const auto& sink : _sinks)
        result.push_back(sink->status());
    return result;
}

}  // namespace citysense
