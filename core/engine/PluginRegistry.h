// Finds plugin libraries, checks their ABI, loads their Poco manifests and creates instances.
#pragma once

#include <citysense/Driver.h>
#include <citysense/Filter.h>
#include <citysense/Sink.h>

#include <Poco/ClassLoader.h>

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace citysense {

enum class PluginKind { Driver, Filter, Sink };

const char* kindName(PluginKind kind);

/// A plugin that loaded: its identity and option table.
struct PluginEntry {
    std::string name;
    PluginKind kind;
    std::string version;
    std::string summary;
    std::string path;
    unsigned abiMinor = 0;
    OptionTable options;
};

/// A library that could not be used. `name` is set when the library told its name before failing.
struct PluginLoadError {
    std::string path;
    std::string name;
    std::string message;
};

class PluginRegistry {
public:
    PluginRegistry();
    ~PluginRegistry();
    PluginRegistry(const PluginRegistry&) = delete;
    PluginRegistry& operator=(const PluginRegistry&) = delete;

    /// Where plugins are looked for, in order: the configured directories, the build tree beside
    /// the running executable (../plugins), the install location relative to the executable, then
    /// the install location the build was configured for.
    static std::vector<std::string> searchPath(const std::vector<std::string>& configured);

    /// Loads every shared library in the directories, in order; a missing directory is skipped. When
    /// two libraries carry the same plugin name, the first one found wins and the other is an error.
    void scan(const std::vector<std::string>& directories);

    /// For a host that runs the `wanted` plugins: scans the first `scannedWhole` directories (the
    /// operator's plugin_path, whose every library is checked at each start), then loads from the others
    /// only citysense-NAME for each wanted NAME not found yet, so that a gateway never maps the libraries
    /// (SQL connectors, MQTT) of plugins it does not run. A name still missing then (a library named
    /// otherwise, or no such plugin) makes it scan the others whole.
    void scanFor(const std::vector<std::string>& directories, std::size_t scannedWhole,
                 const std::set<std::string>& wanted);

    /// Loads one library: ABI check, manifest, and a probe instance for the option table. A failure
    /// is recorded in errors(), never thrown.
    void load(const std::string& path);

    const PluginEntry* find(const std::string& name) const;
    std::vector<const PluginEntry*> plugins() const;
    const std::vector<PluginLoadError>& errors() const { return _errors; }

    /// The load errors that concern a plugin name (including files that gave no name at all).
    std::vector<PluginLoadError> errorsConcerning(const std::string& name) const;

    /// Unloads the libraries of plugins not named in `keep`, to save the memory they map.
    void unloadExcept(const std::set<std::string>& keep);

    std::unique_ptr<Driver> createDriver(const std::string& name);
    std::unique_ptr<Filter> createFilter(const std::string& name);
    std::unique_ptr<Sink> createSink(const std::string& name);

private:
    void fail(const std::string& path, const std::string& name, const std::string& message);
    /// Calls `action` with the ClassLoader for plugins of `kind`.
    template <typename Action>
    auto withLoader(PluginKind kind, Action&& action);
    template <typename Base>
    std::unique_ptr<Base> create(Poco::ClassLoader<Base>& loader, const std::string& name);
    void loadManifest(const PluginEntry& entry);
    void unloadManifest(const PluginEntry& entry);

    Poco::ClassLoader<Driver> _drivers;
    Poco::ClassLoader<Filter> _filters;
    Poco::ClassLoader<Sink> _sinks;
    std::map<std::string, PluginEntry> _entries;
    std::set<std::string> _seenFiles;  // canonical paths: a file reached twice is loaded once
    std::vector<PluginLoadError> _errors;
};

}  // namespace citysense
