// A validated configuration: what the engine will build. Validation checks every section and key of
// a ConfigDocument against the host's own option tables and each plugin's, and collects every
// problem at once.
#pragma once

#include "Config.h"
#include "PluginRegistry.h"

#include <citysense/Options.h>
#include <citysense/Sample.h>

#include <set>
#include <string>
#include <vector>

namespace citysense {

/// [host]'s remote configuration keys (RemoteConfig.h).
struct RemoteConfigSettings {
    bool enabled = false;
    std::string keyPath;            ///< the operator's public key
    std::vector<std::string> keys;  ///< RemoteKeys patterns
};

struct HostSettings {
    Station station;
    std::vector<std::string> pluginPath;
    std::string spoolDir;
    std::string logLevel;
    int mallocArenas = 0;  ///< glibc's M_ARENA_MAX for the host's threads; 0: glibc's own limit
    Micros shutdownTimeout = 10 * kMicrosPerSecond;
    std::string httpListen;  ///< address of the health endpoint; empty: none
    RemoteConfigSettings remote;
};

/// A driver, filter or sink section: its plugin and validated options (host keys included).
struct InstancePlan {
    std::string kind;  ///< "driver", "filter" or "sink"
    std::string name;
    std::string plugin;
    Options options;

    /// "driver.air": the instance's name in logs and status.
    std::string qualifiedName() const { return kind + "." + name; }
};

struct PipelinePlan {
    std::string name;
    std::vector<std::string> drivers;
    std::vector<std::string> filters;
    std::vector<std::string> sinks;
};

struct Plan {
    HostSettings host;
    std::vector<InstancePlan> drivers;
    std::vector<InstancePlan> filters;
    std::vector<InstancePlan> sinks;
    std::vector<PipelinePlan> pipelines;
    /// What the configuration has but does not run, and why: "driver.no2 (enabled = false)". The
    /// instances and pipelines above are only those that run.
    std::vector<std::string> notRunning;

    /// The plugin names the plan uses.
    std::set<std::string> plugins() const;
};

/// Reads [host]. Needed before plugins are loaded, since it names the plugin path.
HostSettings readHostSettings(const ConfigDocument& document, std::vector<ConfigIssue>& issues);

/// Checks the rest of the document against the loaded plugins, with [host] as readHostSettings()
/// read it (citysensed reads [host] first, for the plugin path, and only once).
Plan makePlan(const ConfigDocument& document, HostSettings host, const PluginRegistry& registry,
              std::vector<ConfigIssue>& issues);

/// Reads [host] and checks the whole document against the loaded plugins.
Plan makePlan(const ConfigDocument& document, const PluginRegistry& registry,
              std::vector<ConfigIssue>& issues);

/// True when any issue is an error (not a warning).
bool hasErrors(const std::vector<ConfigIssue>& issues);

}  // namespace citysense
