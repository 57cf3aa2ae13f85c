#include "HostAnnouncement.h"

#include <algorithm>

namespace citysense {

namespace {

/// The filter plugins that change how often a series reports, and the option that says how.
constexpr const char* kWindowPlugin = "window";
constexpr const char* kWindowPeriod = "period";
constexpr const char* kDeadbandPlugin = "deadband";
constexpr const char* kDeadbandMaxSilence = "max_silence";

/// What a pipeline's filters do to the timing of every series through it.
struct Timing {
    Micros window = 0;  ///< the last window filter's period; 0: none
    bool onChange = false;
    Micros maxSilence = 0;
};

Timing timingOf(const Plan& plan, const PipelinePlan& pipeline) {
    Timing timing;
    for (const auto& name : pipeline.filters) {
        const auto filter =
            std::find_if(plan.filters.begin(), plan.filters.end(),
                         [&](const InstancePlan& candidate) { return candidate.name == name; });
        if (filter == plan.filters.end())
            continue;
        if (filter->plugin == kWindowPlugin) {
            timing.window = filter->options.getDuration(kWindowPeriod);
        } else if (filter->plugin == kDeadbandPlugin) {
            timing.onChange = true;
            timing.maxSilence = filter->options.getDuration(kDeadbandMaxSilence);
        }
    }
    return timing;
}

bool announces(const Announcement& announcement, const std::string& driver, Quantity quantity) {
    return std::any_of(announcement.channels.begin(), announcement.channels.end(),
                       [&](const AnnouncedChannel& channel) {
                           return channel.driver == driver && channel.quantity == quantity;
                       });
}

}  // namespace

std::map<std::string, Announcement> hostAnnouncements(const Plan& plan, const PluginRegistry& registry,
                                                      const PolledChannels& channelsOf) {
    std::map<std::string, Announcement> bySink;
    for (const auto& sink : plan.sinks)
        bySink[sink.qualifiedName()].station = plan.host.station;
    for (const auto& pipeline : plan.pipelines) {
        const Timing timing = timingOf(plan, pipeline);
        for (const auto& driverName : pipeline.drivers) {
            const auto driver =
                std::find_if(plan.drivers.begin(), plan.drivers.end(),
                             [&](const InstancePlan& candidate) { return candidate.name == driverName; });
            if (driver == plan.drivers.end())
                continue;
            const PluginEntry* plugin = registry.find(driver->plugin);
            AnnouncedChannel channel;
            channel.driver = driver->qualifiedName();
            channel.plugin = driver->plugin;
            channel.pluginVersion = plugin ? plugin->version : std::string();
            channel.interval = timing.window > 0 ? timing.window : driver->options.getDuration("interval");
            channel.onChange = timing.onChange;
            channel.maxSilence = timing.maxSilence;
            for (const Channel& produced : channelsOf(channel.driver)) {
                channel.quantity = produced.quantity;
                for (const auto& sinkName : pipeline.sinks) {
                    const auto sink = bySink.find("sink." + sinkName);
                    // A series reaching a sink through two pipelines is announced as the first has it.
                    if (sink != bySink.end() && !announces(sink->second, channel.driver, channel.quantity))
                        sink->second.channels.push_back(channel);
                }
            }
        }
    }
    // Saying nothing of a station is no news: an ingest, whose drivers relay other stations, says nothing.
    for (auto sink = bySink.begin(); sink != bySink.end();) {
        if (sink->second.channels.empty() && !sink->second.station.hasPosition)
            sink = bySink.erase(sink);
        else
            ++sink;
    }
    return bySink;
}

}  // namespace citysense
