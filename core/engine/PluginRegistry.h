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

    /// For a host that runs the `wanted` plugins: loads, for each wanted NAME, citysense-NAME.so from the
    /// first directory whose copy loads (so one dropped into the operator's plugin_path, listed first,
    /// replaces the built-in one, and a broken one there leaves the built-in one in use), and no other
    /// library, so that a host never maps what plugins it does not run link (SQL connectors, MQTT). A
    /// name still missing then (a library named otherwise, or no such plugin) makes it scan every
    /// directory whole.
    void scanFor(const std::vector<std::string>& directories, const std::set<std::string>& wanted);

    /// Checks every library in `directories` that was not loaded from its file alone (ElfExports.h),
    /// without mapping it: one that is no shared library exporting the plugin info function goes to
    /// errors(), so that junk in plugin_path is named at every start, and a plugin library not named
    /// citysense-NAME.so, which scanFor() passed by because of its name, to misnamed().
    void inspectUnloaded(const std::vector<std::string>& directories);

    /// Loads one library: ABI check, manifest, and a probe instance for the option table. A failure
    /// is recorded in errors(), never thrown.
    void load(const std::string& path);

    const PluginEntry* find(const std::string& name) const;
    std::vector<const PluginEntry*> plugins() const;
    const std::vector<PluginLoadError>& errors() const { return _errors; }
    /// Plugin libraries inspectUnloaded() found that were not loaded because of their file name, each
    /// with the name it must have.
    const std::vector<PluginLoadError>& misnamed() const { return _misnamed; }

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
    std::vector<PluginLoadError> _misnamed;
};

}  // namespace citysense
