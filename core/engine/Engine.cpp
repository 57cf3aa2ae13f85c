#include "Engine.h"

#include "AbandonedInstances.h"
#include "CurrentException.h"
#include "HostAnnouncement.h"

#include <Poco/Logger.h>

#include <algorithm>
#include <filesystem>
#include <limits>
#include <map>

namespace citysense {

namespace {

/// How often filters are flushed and due drop summaries logged.
constexpr Micros kTickInterval = kMicrosPerSecond;
constexpr Micros kFirstSinkRetry = 500 * 1000;
/// How long past shutdown_timeout a stop waits for a call into a plugin still in progress, before it
/// gives up on the instance.
constexpr Micros kCallGrace = kMicrosPerSecond;
/// The first ABI whose Filter has takeOver() in its vtable.
constexpr unsigned kTakeOverAbiMinor = 2;
/// The first ABI whose Sink has announce() in its vtable.
constexpr unsigned kAnnounceAbiMinor = 3;
/// The first ABI whose Sink has controlChannel() in its vtable.
constexpr unsigned kControlChannelAbiMinor = 3;

/// Creates, attaches and configures an instance; a problem it reports becomes an issue of its
/// section. Nothing if the plugin's constructor failed.
template <typename Instance, typename Create>
std::unique_ptr<Instance> configured(Create&& create, const InstancePlan& plan, const Station& station,
                                     LatestReadings& latestReadings, InstanceCounts& counts,
                                     std::vector<ConfigIssue>* issues) {
    const std::string name = plan.qualifiedName();
    std::unique_ptr<Instance> instance;
    try {
        instance = create(plan.plugin);
        instance->attach(
            {name, station, Source::intern(station, name), &latestReadings, &counts.drops, &counts.events});
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
    : _registry(registry), _shutdownTimeout(plan.host.shutdownTimeout) {
    const Station& station = plan.host.station;
    const auto createSink = [&](const std::string& plugin) { return registry.createSink(plugin); };
    const auto createDriver = [&](const std::string& plugin) { return registry.createDriver(plugin); };
    const auto createFilter = [&](const std::string& plugin) { return registry.createFilter(plugin); };
    for (const auto& sink : plan.sinks) {
        if (auto instance = configured<Sink>(createSink, sink, station, *_latestReadings,
                                             countsOf(sink.qualifiedName()), &issues)) {
            _sinks.push_back(std::make_unique<SinkRunner>(
                std::move(instance), sink.plugin, static_cast<std::size_t>(sink.options.getInt("queue_size")),
                static_cast<std::size_t>(sink.options.getInt("batch_size")),
                Backoff(kFirstSinkRetry, sink.options.getDuration("max_backoff")), spoolSettings(plan, sink),
                static_cast<unsigned>(sink.options.getInt("max_attempts"))));
            _sinks.back()->setBatchInterval(sink.options.getDuration("batch_interval"));
            const PluginEntry* plugin = registry.find(sink.plugin);
            _sinks.back()->setTakesAnnouncements(plugin && plugin->abiMinor >= kAnnounceAbiMinor);
        }
    }
    for (const auto& driver : plan.drivers) {
        if (auto instance = configured<Driver>(createDriver, driver, station, *_latestReadings,
                                               countsOf(driver.qualifiedName()), &issues)) {
            _drivers.push_back(std::make_unique<DriverRunner>(std::move(instance), driver.plugin,
                                                              driver.options.getDuration("interval"),
                                                              driver.options.getDuration("max_backoff")));
            _drivers.back()->recordLatestIn(*_latestReadings);
            if (!plan.host.spoolDir.empty())
                _drivers.back()->journalIn(
                    (std::filesystem::path(plan.host.spoolDir) / driver.qualifiedName()).string());
        }
    }
    std::map<std::string, const InstancePlan*> filters;
    for (const auto& filter : plan.filters) {
        filters[filter.name] = &filter;
        _filterPlugins[filter.qualifiedName()] = filter.plugin;
        // status() reports every filter, one that no pipeline uses (a warning only) included.
        countsOf(filter.qualifiedName());
    }
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
            const InstancePlan& filterPlan = *found->second;
            const bool firstUse = filtersChecked.insert(name).second;
            if (auto filter =
                    configured<Filter>(createFilter, filterPlan, station, *_latestReadings,
                                       countsOf(filterPlan.qualifiedName()), firstUse ? &issues : nullptr)) {
                _filterPlugins[filterPlan.qualifiedName()] = filterPlan.plugin;
                chain.push_back(std::move(filter));
            }
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
    _announcements = hostAnnouncements(plan, registry, [&](const std::string& name) {
        const auto driver = driversByName.find(name);
        return driver == driversByName.end() || driver->second->eventDriven() ? std::vector<Channel>()
                                                                              : driver->second->channels();
    });
}

Engine::~Engine() {
    stop();
    retireAbandoned(_drivers);
    retireAbandoned(_sinks);
}

template <typename Runner>
void Engine::retireAbandoned(std::vector<std::unique_ptr<Runner>>& runners) {
    for (auto& runner : runners) {
        std::lock_guard<std::mutex> lock(_abandonedMutex);
        if (!_abandoned.count(runner->name()))
            continue;
        InstanceStatus status = runner->status();
        status.message = _abandoned[runner->name()];
        const std::shared_ptr<InstanceCounts>& counts = _counts.at(runner->name());
        status.events = counts->events.byName();
        if (const PluginEntry* plugin = _registry.find(status.plugin))
            AbandonedInstances::pinLibrary(plugin->path);
        // What the host lent it goes too: the instance may use it when its call returns.
        AbandonedInstances::process().keep(
            std::move(status),
            std::make_shared<std::tuple<std::unique_ptr<Runner>, std::shared_ptr<LatestReadings>,
                                        std::shared_ptr<InstanceCounts>>>(std::move(runner), _latestReadings,
                                                                          counts));
    }
}

InstanceCounts& Engine::countsOf(const std::string& name) {
    auto& counts = _counts[name];
    if (!counts)
        counts = std::make_shared<InstanceCounts>(name);
    return *counts;
}

void Engine::startSinks() {
    for (auto& sink : _sinks) {
        sink->start();
        if (const auto announcement = _announcements.find(sink->name()); announcement != _announcements.end())
            sink->announce(announcement->second);
    }
}

void Engine::start() {
    startSinks();
    for (auto& driver : _drivers)
        driver->start(&_polls);
    _ticker = std::thread([this] { tickLoop(); });
    _running = true;
}

void Engine::tickLoop() {
    while (!_tickerStop.waitFor(kTickInterval)) {
        const Micros now = nowMicros();
        for (auto& pipeline : _pipelines)
            pipeline->flush(now);
        for (auto& [name, counts] : _counts)
            counts->drops.logDueSummaries();
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
    stopHandingOver({}, nullptr);
}

void Engine::handOverTo(Engine& successor) {
    std::set<std::string> kept;
    for (const auto& sink : successor._sinks)
        kept.insert(sink->name());
    Backlog backlog = stopHandingOver(kept, &successor);
    const auto sinksByName = byName(successor._sinks);
    for (auto& [name, batches] : backlog) {
        if (const auto sink = sinksByName.find(name); sink != sinksByName.end()) {
            for (auto& batch : batches)
                sink->second->enqueue(std::move(batch));
        }
    }
}

Engine::Backlog Engine::stopHandingOver(const std::set<std::string>& handOver, Engine* successor) {
    Backlog backlog;
    if (!_running)
        return backlog;
    _running = false;
    // Every draining sink gets the same deadline, so stopping takes shutdown_timeout at most in all;
    // a call into a plugin still in progress then gets kCallGrace more before the host gives up on it.
    const Micros began = nowMicros();
    const Micros deadline = began + _shutdownTimeout;
    stopDriversAndFlush(deadline + kCallGrace, successor);
    // A driver stuck until its own deadline must not take the sinks down with it: a sink gets at least
    // kCallGrace, from the moment it is told to stop, to end the call it is in and close.
    const Micros giveUpAt = std::max(deadline, nowMicros()) + kCallGrace;
    const std::string patience = formatDuration(giveUpAt - began);
    for (auto& sink : _sinks) {
        if (!handOver.count(sink->name()))
            sink->beginDrain(deadline);
    }
    for (auto& sink : _sinks) {
        if (handOver.count(sink->name())) {
            backlog[sink->name()] = sink->stopAndTakeQueue(giveUpAt);
            if (!sink->abandonedIn().empty()) {
                std::size_t samples = 0;
                for (const auto& batch : backlog[sink->name()])
                    samples += batch.size();
                abandoned(sink->name(), sink->abandonedIn() + " did not return within " + patience,
                          std::to_string(samples) + " samples it held go to the sink that replaces it");
            }
        } else if (!sink->join(giveUpAt)) {
            const InstanceStatus status = sink->status();
            abandoned(sink->name(), sink->abandonedIn() + " did not return within " + patience,
                      "what it held is in the spool or counted: " + std::to_string(status.spoolPending) +
                          " samples in the spool, " + std::to_string(status.dropped) + " dropped in all");
        }
    }
    // The sinks settled what they could; the journals keep the rest (a handed-over queue included)
    // for the next start or the engine that replaces this one. An abandoned runner keeps its own.
    for (auto& driver : _drivers) {
        if (driver->abandonedIn().empty())
            driver->closeJournal();
    }
    for (auto& [name, counts] : _counts)
        counts->drops.logAllSummaries();
    return backlog;
}

void Engine::abandoned(const std::string& name, const std::string& call, const std::string& outcome) {
    Poco::Logger::get(name).error("abandoned: " + call + "; " + outcome +
                                  "; its thread is left alone until the process ends");
    std::lock_guard<std::mutex> lock(_abandonedMutex);
    _abandoned[name] = call;
}

void Engine::stopDriversAndFlush(Micros giveUpAt, Engine* successor) {
    for (auto& driver : _drivers)
        driver->requestStop();
    _polls.stop();
    const std::string patience = formatDuration(_shutdownTimeout + kCallGrace);
    for (auto& driver : _drivers) {
        if (!driver->stop(giveUpAt))
            abandoned(driver->name(), driver->abandonedIn() + " did not return within " + patience,
                      "it reads no more");
    }
    _tickerStop.requestStop();
    if (_ticker.joinable())
        _ticker.join();
    if (successor)
        successor->takeOverFilters(*this);
    // Windows that have ended go out as such; the flush with the largest Micros then tells the
    // filters that the rest will not be completed.
    const Micros now = nowMicros();
    for (auto& pipeline : _pipelines)
        pipeline->flush(now);
    for (auto& pipeline : _pipelines)
        pipeline->flush(std::numeric_limits<Micros>::max());
}

void Engine::takeOverFilters(Engine& predecessor) {
    const auto theirPipelines = byName(predecessor._pipelines);
    const auto abiOf = [](const PluginRegistry& registry, const std::string& plugin) {
        const PluginEntry* entry = registry.find(plugin);
        return entry ? entry->abiMinor : 0u;
    };
    const auto sameKind = [&](const Filter& mine, const Filter& theirs) {
        const auto myPlugin = _filterPlugins.find(mine.instanceName());
        const auto theirPlugin = predecessor._filterPlugins.find(theirs.instanceName());
        return myPlugin != _filterPlugins.end() && theirPlugin != predecessor._filterPlugins.end() &&
               myPlugin->second == theirPlugin->second &&
               abiOf(_registry, myPlugin->second) >= kTakeOverAbiMinor &&
               abiOf(predecessor._registry, theirPlugin->second) >= kTakeOverAbiMinor;
    };
    for (auto& pipeline : _pipelines) {
        if (const auto theirs = theirPipelines.find(pipeline->name()); theirs != theirPipelines.end())
            pipeline->takeOverFilters(*theirs->second, sameKind);
    }
}

std::vector<InstanceStatus> Engine::status() const {
    std::vector<InstanceStatus> result;
    for (const auto& driver : _drivers)
        result.push_back(driver->status());
    for (const auto& [name, plugin] : _filterPlugins) {
        InstanceStatus filter;
        filter.name = name;
        filter.plugin = plugin;
        filter.state = _running ? InstanceState::Running : InstanceState::Stopped;
        filter.droppedByReason = _counts.at(name)->drops.byReason();
        result.push_back(std::move(filter));
    }
    for (const auto& sink : _sinks)
        result.push_back(sink->status());
    for (auto& status : result)
        status.events = _counts.at(status.name)->events.byName();
    std::lock_guard<std::mutex> lock(_abandonedMutex);
    for (auto& status : result) {
        if (const auto found = _abandoned.find(status.name); found != _abandoned.end()) {
            status.state = InstanceState::Abandoned;
            status.message = found->second;
        }
    }
    return result;
}

ControlChannel* Engine::controlChannel() const {
    for (const auto& sink : _sinks) {
        const PluginEntry* plugin = _registry.find(sink->status().plugin);
        if (!plugin || plugin->abiMinor < kControlChannelAbiMinor)
            continue;
        if (ControlChannel* channel = sink->controlChannel())
            return channel;
    }
    return nullptr;
}

}  // namespace citysense
