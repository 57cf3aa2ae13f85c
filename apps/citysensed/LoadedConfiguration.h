// One configuration, loaded: its plugin registry, validated plan and engine. citysensed runs one and
// replaces it with a new one on SIGHUP.
#pragma once

#include <engine/Engine.h>
#include <engine/Plan.h>
#include <engine/PluginRegistry.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace citysense {

struct LoadedConfiguration {
    // Declaration order is destruction order reversed: the engine (instances) goes before the
    // registry (their libraries).
    std::unique_ptr<PluginRegistry> registry;
    std::unique_ptr<Plan> plan;
    std::unique_ptr<Engine> engine;

    /// Reads and validates `path`, loads the plugins it uses and builds the engine. Every problem
    /// found goes to `report`, one formatted line each; nothing is returned if one is an error.
    static std::unique_ptr<LoadedConfiguration> build(const std::string& path,
                                                      const std::function<void(const std::string&)>& report);

    /// The same with `replacement` in place of one conf.d fragment (a remote configuration to try),
    /// the problems as they are (a file that cannot be read: one without section).
    static std::unique_ptr<LoadedConfiguration> build(const std::string& path,
                                                      const FragmentText& replacement,
                                                      std::vector<ConfigIssue>& issues);

    /// The libraries in the configured plugin_path directories that failed to load, or that the host
    /// did not need and found unusable from their files, one line each ("DIR/junk.so: not loaded: not
    /// an ELF file"), for the warnings of every start and reload.
    std::vector<std::string> unloadableLibraries() const;

    /// Applies the configured log level and starts the engine.
    void start();

    /// Builds from a document read already; nothing if `issues` then holds an error.
    static std::unique_ptr<LoadedConfiguration> fromDocument(const ConfigDocument& document,
                                                             std::vector<ConfigIssue>& issues);

    /// Replaces `previous`, which is running: stops it, hands what its sinks still queue to the sinks
    /// of the same names here and the state of its filters to their namesakes, and starts.
    void takeOver(LoadedConfiguration& previous);
};

}  // namespace citysense
