#include "LoadedConfiguration.h"

#include <Poco/Logger.h>

#include <malloc.h>

#include <algorithm>
#include <set>

namespace citysense {

namespace {

/// The plugins the driver, filter and sink sections name (checked later, by the plan).
std::set<std::string> pluginsNamedIn(const ConfigDocument& document) {
    std::set<std::string> names;
    for (const char* kind : {"driver", "filter", "sink"}) {
        for (const ConfigSection* section : document.ofKind(kind)) {
            if (const auto plugin = section->values.find("plugin"); plugin != section->values.end())
                names.insert(plugin->second);
        }
    }
    return names;
}

}  // namespace

std::unique_ptr<LoadedConfiguration> LoadedConfiguration::build(
    const std::string& path, const std::function<void(const std::string&)>& report) {
    ConfigDocument document;
    try {
        document = readConfigFile(path);
    } catch (const ConfigFileError& error) {
        report(error.what());
        return nullptr;
    }
    std::vector<ConfigIssue> issues;
    auto loaded = fromDocument(document, issues);
    for (const auto& issue : issues)
        report(formatIssue(path, issue));
    if (!loaded) {
        const auto errors =
            std::count_if(issues.begin(), issues.end(), [](const auto& issue) { return !issue.warning; });
        report(path + ": " + std::to_string(errors) + " error(s); not started");
    }
    return loaded;
}

std::unique_ptr<LoadedConfiguration> LoadedConfiguration::build(const std::string& path,
                                                                const FragmentText& replacement,
                                                                std::vector<ConfigIssue>& issues) {
    try {
        return fromDocument(readConfigFile(path, replacement), issues);
    } catch (const ConfigFileError& error) {
        issues.push_back({"", "", error.what()});
        return nullptr;
    }
}

std::unique_ptr<LoadedConfiguration> LoadedConfiguration::fromDocument(const ConfigDocument& document,
                                                                       std::vector<ConfigIssue>& issues) {
    auto loaded = std::make_unique<LoadedConfiguration>();
    HostSettings host = readHostSettings(document, issues);
    loaded->registry = std::make_unique<PluginRegistry>();
    loaded->registry->scanFor(PluginRegistry::searchPath(host.pluginPath), pluginsNamedIn(document));
    loaded->registry->inspectUnloaded(host.pluginPath);
    loaded->plan = std::make_unique<Plan>(makePlan(document, std::move(host), *loaded->registry, issues));
    if (!hasErrors(issues)) {
        loaded->engine = std::make_unique<Engine>(*loaded->plan, *loaded->registry, issues);
        attributeFiles(document, issues);
    }
    if (hasErrors(issues))
        return nullptr;
    loaded->registry->unloadExcept(loaded->plan->plugins());
    return loaded;
}

std::vector<std::string> LoadedConfiguration::unloadableLibraries() const {
    std::vector<std::string> lines;
    for (const auto& error : registry->errors()) {
        const bool configured =
            std::any_of(plan->host.pluginPath.begin(), plan->host.pluginPath.end(),
                        [&](const std::string& dir) { return error.path.rfind(dir + "/", 0) == 0; });
        if (configured)
            lines.push_back(error.path + ": not loaded: " + error.message);
    }
    return lines;
}

void LoadedConfiguration::start() {
    Poco::Logger::setLevel("", Poco::Logger::parseLevel(plan->host.logLevel));
    // Before the engine's threads start: a thread takes its arena when it first allocates. With glibc's
    // own limit, each thread of a gateway keeps an arena of its own, most of it free.
    if (plan->host.mallocArenas > 0)
        mallopt(M_ARENA_MAX, plan->host.mallocArenas);
    for (const std::string& what : plan->notRunning)
        Poco::Logger::get("citysensed").notice("not started: " + what);
    engine->start();
}

void LoadedConfiguration::takeOver(LoadedConfiguration& previous) {
    previous.engine->handOverTo(*engine);
    start();
}

}  // namespace citysense
