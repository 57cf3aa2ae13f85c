#include "PluginRegistry.h"

#include "CurrentException.h"
#include "ElfExports.h"
#include "HostOptions.h"

#include <citysense/Abi.h>

#include <Poco/Path.h>
#include <Poco/SharedLibrary.h>

#include <unistd.h>
#include <algorithm>
#include <filesystem>

namespace citysense {

const char* kindName(PluginKind kind) {
    switch (kind) {
        case PluginKind::Driver:
            return "driver";
        case PluginKind::Filter:
            return "filter";
        case PluginKind::Sink:
            return "sink";
    }
    return "?";
}

namespace {

bool kindFromName(const std::string& text, PluginKind& kind) {
    for (PluginKind candidate : {PluginKind::Driver, PluginKind::Filter, PluginKind::Sink}) {
        if (text == kindName(candidate)) {
            kind = candidate;
            return true;
        }
    }
    return false;
}

std::string executableDirectory() {
    std::error_code error;
    const auto self = std::filesystem::read_symlink("/proc/self/exe", error);
    return error ? std::string() : self.parent_path().string();
}

/// What a plugin name may hold to be looked up as a file (citysense-NAME.so).
constexpr const char* kPluginNameCharacters =
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-";

constexpr const char* kPluginFilePrefix = "citysense-";

/// The file name a plugin's library must have for scanFor() to find it by the plugin's name.
std::string pluginFileName(const std::string& name) {
    return kPluginFilePrefix + name + Poco::SharedLibrary::suffix();
}

/// Whether the library at `path` is named citysense-NAME.so for some plugin NAME.
bool namedAsPlugin(const std::string& path) {
    const std::string file = std::filesystem::path(path).filename().string();
    const std::string prefix = kPluginFilePrefix;
    const std::string suffix = Poco::SharedLibrary::suffix();
    if (file.size() <= prefix.size() + suffix.size() || file.rfind(prefix, 0) != 0)
        return false;
    const std::string name = file.substr(prefix.size(), file.size() - prefix.size() - suffix.size());
    return name.find_first_not_of(kPluginNameCharacters) == std::string::npos;
}

/// The shared libraries in `directory`, sorted; none when it does not exist.
std::vector<std::string> librariesIn(const std::string& directory) {
    const std::string suffix = Poco::SharedLibrary::suffix();
    std::vector<std::string> files;
    std::error_code error;
    if (!std::filesystem::is_directory(directory, error))
        return files;
    for (const auto& item : std::filesystem::directory_iterator(directory, error)) {
        const std::string file = item.path().string();
        if (item.is_regular_file(error) && file.size() > suffix.size() &&
            file.compare(file.size() - suffix.size(), suffix.size(), suffix) == 0)
            files.push_back(file);
    }
    std::sort(files.begin(), files.end());
    return files;
}

/// A file reached twice, by any path, is one file.
std::string canonicalPath(const std::string& path) {
    std::error_code error;
    const auto canonical = std::filesystem::weakly_canonical(path, error);
    return error ? path : canonical.string();
}

std::string abiText(unsigned major, unsigned minor) {
    return std::to_string(major) + "." + std::to_string(minor);
}

}  // namespace

PluginRegistry::PluginRegistry() = default;

// The ClassLoaders unload the libraries as they are destroyed; every instance must be gone by then.
PluginRegistry::~PluginRegistry() = default;

std::vector<std::string> PluginRegistry::searchPath(const std::vector<std::string>& configured) {
    std::vector<std::string> path = configured;
    const std::filesystem::path exeDir = executableDirectory();
    if (!exeDir.empty()) {
        path.push_back((exeDir / ".." / "plugins").lexically_normal().string());  // the build tree
        path.push_back((exeDir / CITYSENSE_PLUGIN_DIR_FROM_BINDIR).lexically_normal().string());  // installed
    }
    path.push_back(CITYSENSE_PLUGIN_INSTALL_DIR);
    return path;
}

template <typename Base>
std::unique_ptr<Base> PluginRegistry::create(Poco::ClassLoader<Base>& loader, const std::string& name) {
    return std::unique_ptr<Base>(loader.create(name));
}

template <typename Action>
auto PluginRegistry::withLoader(PluginKind kind, Action&& action) {
    switch (kind) {
        case PluginKind::Driver:
            return action(_drivers);
        case PluginKind::Filter:
            return action(_filters);
        case PluginKind::Sink:
            break;
    }
    return action(_sinks);
}

void PluginRegistry::scan(const std::vector<std::string>& directories) {
    for (const auto& directory : directories) {
        for (const auto& file : librariesIn(directory))
            load(file);
    }
}

void PluginRegistry::scanFor(const std::vector<std::string>& directories,
                             const std::set<std::string>& wanted) {
    const auto missing = [&](const std::string& name) { return _entries.count(name) == 0; };
    for (const std::string& name : wanted) {
        // Only a plain name becomes part of a file name.
        if (name.empty() || name.find_first_not_of(kPluginNameCharacters) != std::string::npos)
            continue;
        for (const std::string& directory : directories) {
            if (!missing(name))
                break;
            const std::string file = directory + "/" + pluginFileName(name);
            std::error_code error;
            if (std::filesystem::is_regular_file(file, error))
                load(file);
        }
    }
    if (std::any_of(wanted.begin(), wanted.end(), missing))
        scan(directories);
}

void PluginRegistry::inspectUnloaded(const std::vector<std::string>& directories) {
    for (const auto& directory : directories) {
        for (const auto& file : librariesIn(directory)) {
            if (_seenFiles.count(canonicalPath(file)))
                continue;
            const std::string problem = elfExportProblem(file, CITYSENSE_PLUGIN_INFO_SYMBOL);
            if (!problem.empty())
                fail(file, "", problem);
            else if (!namedAsPlugin(file))
                _misnamed.push_back(
                    {file, "",
                     "a plugin library not loaded because of its name: a host loads each plugin it runs "
                     "from " +
                         pluginFileName("NAME") +
                         " (NAME the plugin's name), and a library named otherwise only for a plugin no such "
                         "file provides; name it so to replace a built-in plugin"});
        }
    }
}

void PluginRegistry::fail(const std::string& path, const std::string& name, const std::string& message) {
    _errors.push_back({path, name, message});
}

void PluginRegistry::load(const std::string& path) {
    if (!_seenFiles.insert(canonicalPath(path)).second)
        return;
    PluginEntry entry;
    entry.path = path;
    // First the plain C ABI function, through a library handle of our own: nothing of the plugin's
    // C++ side is touched before its ABI is known to match.
    try {
        Poco::SharedLibrary library(path);
        if (!library.hasSymbol(CITYSENSE_PLUGIN_INFO_SYMBOL)) {
            fail(path, "", "not a citysense plugin: it does not export " CITYSENSE_PLUGIN_INFO_SYMBOL "()");
            library.unload();
            return;
        }
        auto infoFunction =
            reinterpret_cast<CitysensePluginInfoFunction>(library.getSymbol(CITYSENSE_PLUGIN_INFO_SYMBOL));
        const CitysensePluginInfo* info = nullptr;
        try {
            info = infoFunction();
        } catch (...) {
            fail(path, "", CITYSENSE_PLUGIN_INFO_SYMBOL "() threw: " + currentExceptionText());
            library.unload();
            return;
        }
        const std::string name = info && info->name ? info->name : "";
        if (!info || name.empty()) {
            fail(path, "", CITYSENSE_PLUGIN_INFO_SYMBOL "() returned no plugin name");
        } else if (info->abiMajor != CITYSENSE_ABI_MAJOR || info->abiMinor > CITYSENSE_ABI_MINOR) {
            fail(path, name,
                 "plugin '" + name + "' was built for SDK ABI " + abiText(info->abiMajor, info->abiMinor) +
                     ", this host provides ABI " + abiText(CITYSENSE_ABI_MAJOR, CITYSENSE_ABI_MINOR) +
                     " (rebuild the plugin against this SDK)");
        } else if (!info->kind || !kindFromName(info->kind, entry.kind)) {
            fail(path, name,
                 "plugin '" + name + "' declares an unknown kind '" + (info->kind ? info->kind : "") +
                     "' (expected driver, filter or sink)");
        } else if (_entries.count(name)) {
            fail(path, name,
                 "plugin '" + name + "' is already loaded from " + _entries[name].path +
                     "; this copy is ignored");
        } else {
            entry.name = name;
            entry.version = info->version ? info->version : "";
            entry.summary = info->summary ? info->summary : "";
            entry.abiMinor = info->abiMinor;
        }
        library.unload();
    } catch (const Poco::Exception& error) {
        fail(path, "", "cannot load library: " + error.displayText());
        return;
    }
    if (entry.name.empty())
        return;
    try {
        loadManifest(entry);
    } catch (const Poco::Exception& error) {
        fail(path, entry.name, "plugin '" + entry.name + "': " + error.displayText());
        return;
    }
    // A probe instance yields the option table and proves the constructor works.
    try {
        entry.options = withLoader(entry.kind, [&](auto& loader) {
            const std::unique_ptr<Plugin> probe = create(loader, entry.name);
            return probe->options();
        });
    } catch (...) {
        fail(path, entry.name,
             "plugin '" + entry.name + "': creating an instance failed: " + currentExceptionText());
        unloadManifest(entry);
        return;
    }
    auto problems = tableProblems(entry.options);
    for (const auto& option : entry.options) {
        for (const auto& reserved : hostOptions(kindName(entry.kind))) {
            if (option.name == reserved.name)
                problems.push_back("option '" + option.name + "' is a key the host reads in every " +
                                   kindName(entry.kind) + " section");
        }
    }
    if (!problems.empty()) {
        std::string message = "plugin '" + entry.name + "' declares a broken option table:";
        for (const auto& problem : problems)
            message += " " + problem + ";";
        message.pop_back();
        fail(path, entry.name, message);
        unloadManifest(entry);
        return;
    }
    _entries[entry.name] = entry;
}

void PluginRegistry::loadManifest(const PluginEntry& entry) {
    const std::string manifest = kindName(entry.kind);
    const bool exported = withLoader(entry.kind, [&](auto& loader) {
        loader.loadLibrary(entry.path, manifest);
        return loader.findClass(entry.name) != nullptr;
    });
    if (!exported) {
        unloadManifest(entry);
        throw Poco::NotFoundException("its " + manifest + " manifest does not export a class named '" +
                                      entry.name + "'");
    }
}

void PluginRegistry::unloadManifest(const PluginEntry& entry) {
    withLoader(entry.kind, [&](auto& loader) { loader.unloadLibrary(entry.path); });
}

const PluginEntry* PluginRegistry::find(const std::string& name) const {
    const auto found = _entries.find(name);
    return found == _entries.end() ? nullptr : &found->second;
}

std::vector<const PluginEntry*> PluginRegistry::plugins() const {
    std::vector<const PluginEntry*> result;
    for (const auto& entry : _entries)
        result.push_back(&entry.second);
    return result;
}

std::vector<PluginLoadError> PluginRegistry::errorsConcerning(const std::string& name) const {
    std::vector<PluginLoadError> result;
    for (const auto& error : _errors) {
        if (error.name.empty() || error.name == name)
            result.push_back(error);
    }
    return result;
}

void PluginRegistry::unloadExcept(const std::set<std::string>& keep) {
    for (auto it = _entries.begin(); it != _entries.end();) {
        if (keep.count(it->first)) {
            ++it;
            continue;
        }
        unloadManifest(it->second);
        it = _entries.erase(it);
    }
}

std::unique_ptr<Driver> PluginRegistry::createDriver(const std::string& name) {
    return create(_drivers, name);
}
std::unique_ptr<Filter> PluginRegistry::createFilter(const std::string& name) {
    return create(_filters, name);
}
std::unique_ptr<Sink> PluginRegistry::createSink(const std::string& name) {
    return create(_sinks, name);
}

}  // namespace citysense
