#include "Host.h"

#include <Poco/Logger.h>

#include <algorithm>
#include <iterator>

namespace citysense {

std::unique_ptr<Host> Host::build(const std::string& path,
                                  const std::function<void(const std::string&)>& report) {
    ConfigDocument document;
    try {
        document = readConfigFile(path);
    } catch (const ConfigFileError& error) {
        report(error.what());
        return nullptr;
    }
    auto host = std::make_unique<Host>();
    std::vector<ConfigIssue> issues;
    const HostSettings settings = readHostSettings(document, issues);
    host->registry = std::make_unique<PluginRegistry>();
    host->registry->scan(PluginRegistry::searchPath(settings.pluginPath));
    issues.clear();
    host->plan = std::make_unique<Plan>(makePlan(document, *host->registry, issues));
    if (!hasErrors(issues)) {
        host->engine = std::make_unique<Engine>(*host->plan, *host->registry, issues);
        attributeFiles(document, issues);
    }
    for (const auto& issue : issues)
        report(formatIssue(path, issue));
    if (hasErrors(issues)) {
        const auto errors =
            std::count_if(issues.begin(), issues.end(), [](const auto& issue) { return !issue.warning; });
        report(path + ": " + std::to_string(errors) + " error(s); not started");
        return nullptr;
    }
    host->registry->unloadExcept(host->plan->plugins());
    return host;
}

void Host::start() {
    Poco::Logger::setLevel("", Poco::Logger::parseLevel(plan->host.logLevel));
    engine->start();
}

void Host::takeOver(Host& previous) {
    const auto mine = engine->sinkNames();
    const auto theirs = previous.engine->sinkNames();
    std::set<std::string> kept;
    std::set_intersection(mine.begin(), mine.end(), theirs.begin(), theirs.end(),
                          std::inserter(kept, kept.end()));
    engine->adopt(previous.engine->stopForReload(kept));
    start();
}

}  // namespace citysense
