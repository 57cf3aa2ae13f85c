#include "Plan.h"

#include "Ed25519Key.h"
#include "HostOptions.h"

#include <net/TcpAddress.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <stdexcept>

namespace citysense {

std::set<std::string> Plan::plugins() const {
    std::set<std::string> names;
    for (const auto* instances : {&drivers, &filters, &sinks}) {
        for (const auto& instance : *instances)
            names.insert(instance.plugin);
    }
    return names;
}

bool hasErrors(const std::vector<ConfigIssue>& issues) {
    return std::any_of(issues.begin(), issues.end(), [](const ConfigIssue& issue) { return !issue.warning; });
}

namespace {

void addIssues(std::vector<ConfigIssue>& issues, const ConfigSection& section,
               const std::vector<OptionIssue>& found) {
    for (const auto& issue : found)
        issues.push_back({section.label(), issue.key, issue.message});
}

/// Relative paths in a configuration are relative to its main file's folder, wherever the host runs.
std::string configDirectory(const ConfigDocument& document) {
    return std::filesystem::path(document.path).parent_path().string();
}

bool validTopicLevel(const std::string& text) {
    return text.find_first_of("/+#") == std::string::npos;
}

bool validInstanceName(const std::string& name) {
    return !name.empty() && std::all_of(name.begin(), name.end(), [](unsigned char c) {
        return std::isalnum(c) || c == '_' || c == '-';
    });
}

std::string loadErrorsText(const PluginRegistry& registry, const std::string& plugin) {
    std::string text;
    for (const auto& error : registry.errorsConcerning(plugin))
        text += "\n    " + error.path + ": " + error.message;
    return text;
}

std::string availableText(const PluginRegistry& registry, PluginKind kind) {
    std::string names;
    for (const auto* entry : registry.plugins()) {
        if (entry->kind == kind)
            names += (names.empty() ? "" : ", ") + entry->name;
    }
    return names.empty() ? "none" : names;
}

/// Validates a driver, filter or sink section against the host keys and its plugin's table.
void planInstance(const ConfigSection& section, PluginKind kind, const ConfigDocument& document,
                  const PluginRegistry& registry, std::vector<ConfigIssue>& issues,
                  std::vector<InstancePlan>& out) {
    if (section.name.empty()) {
        issues.push_back(
            {section.label(), "", "a section of this kind needs a name: write [" + section.kind + ".NAME]"});
        return;
    }
    if (!validInstanceName(section.name)) {
        issues.push_back({section.label(), "", "instance names may hold only letters, digits, '_' and '-'"});
        return;
    }
    OptionTable table = hostOptions(section.kind);
    const auto plugin = section.values.find("plugin");
    if (plugin == section.values.end() || plugin->second.empty()) {
        issues.push_back(
            {section.label(), "plugin", "missing: every " + section.kind + " section names its plugin"});
        return;
    }
    const PluginEntry* entry = registry.find(plugin->second);
    if (!entry) {
        issues.push_back({section.label(), "plugin",
                          "no " + section.kind + " plugin named '" + plugin->second +
                              "' was loaded (available: " + availableText(registry, kind) + ")" +
                              loadErrorsText(registry, plugin->second)});
        return;
    }
    if (entry->kind != kind) {
        issues.push_back(
            {section.label(), "plugin",
             "'" + plugin->second + "' is a " + kindName(entry->kind) + " plugin, not a " + section.kind});
        return;
    }
    table.insert(table.end(), entry->options.begin(), entry->options.end());
    std::vector<OptionIssue> found;
    InstancePlan instance{section.kind, section.name, entry->name,
                          Options::parse(table, section.values, found, configDirectory(document))};
    addIssues(issues, section, found);
    out.push_back(std::move(instance));
}

/// The (kind, name) of every section, to look references up without a scan each.
using SectionIds = std::set<std::pair<std::string, std::string>>;

void checkReferences(const ConfigSection& section, const std::string& key, const std::string& kind,
                     const std::vector<std::string>& names, const SectionIds& sections,
                     std::vector<ConfigIssue>& issues) {
    std::set<std::string> seen;
    for (const auto& name : names) {
        if (!sections.count({kind, name}))
            issues.push_back({section.label(), key, "there is no section [" + kind + "." + name + "]"});
        if (!seen.insert(name).second)
            issues.push_back(
                {section.label(), key, "'" + name + "' is listed twice (its samples would be doubled)"});
    }
}

PipelinePlan planPipeline(const ConfigSection& section, const SectionIds& sections,
                          std::vector<ConfigIssue>& issues) {
    std::vector<OptionIssue> found;
    const Options options = Options::parse(hostOptions("pipeline"), section.values, found);
    addIssues(issues, section, found);
    PipelinePlan pipeline{section.name, {}, {}, {}};
    const auto listOf = [&](const char* key) {
        return options.has(key) ? options.getList(key) : std::vector<std::string>{};
    };
    pipeline.drivers = listOf("drivers");
    pipeline.filters = listOf("filters");
    pipeline.sinks = listOf("sinks");
    for (const char* key : {"drivers", "sinks"}) {
        if (section.values.count(key) &&
            (key == std::string("drivers") ? pipeline.drivers : pipeline.sinks).empty())
            issues.push_back({section.label(), key, "names no instance: a pipeline needs at least one"});
    }
    checkReferences(section, "drivers", "driver", pipeline.drivers, sections, issues);
    checkReferences(section, "filters", "filter", pipeline.filters, sections, issues);
    checkReferences(section, "sinks", "sink", pipeline.sinks, sections, issues);
    return pipeline;
}

void checkUsed(const std::vector<InstancePlan>& instances, const std::vector<PipelinePlan>& pipelines,
               std::vector<std::string> PipelinePlan::*member, bool unusedIsError,
               std::vector<ConfigIssue>& issues) {
    std::set<std::string> used;
    for (const auto& pipeline : pipelines)
        used.insert((pipeline.*member).begin(), (pipeline.*member).end());
    for (const auto& instance : instances) {
        if (!used.count(instance.name))
            issues.push_back({"[" + instance.qualifiedName() + "]", "",
                              unusedIsError
                                  ? "defined but no pipeline uses it (list it in a [pipeline.NAME] section)"
                                  : "defined but no pipeline uses it",
                              !unusedIsError});
    }
}

/// Takes out of the plan the drivers and sinks with enabled = false, the pipelines they leave without a
/// driver or a sink, and the instances only such pipelines used, noting each in plan.notRunning.
void setAsideDisabled(Plan& plan) {
    std::set<std::string> disabled;  // qualified names
    for (auto* instances : {&plan.drivers, &plan.sinks}) {
        for (const auto& instance : *instances) {
            if (instance.options.has("enabled") && !instance.options.getBool("enabled")) {
                disabled.insert(instance.qualifiedName());
                plan.notRunning.push_back(instance.qualifiedName() + " (enabled = false)");
            }
        }
    }
    if (disabled.empty())
        return;
    const auto dropDisabled = [&](std::vector<std::string>& names, const std::string& kind) {
        names.erase(
            std::remove_if(names.begin(), names.end(),
                           [&](const std::string& name) { return disabled.count(kind + "." + name); }),
            names.end());
    };
    for (auto pipeline = plan.pipelines.begin(); pipeline != plan.pipelines.end();) {
        dropDisabled(pipeline->drivers, "driver");
        dropDisabled(pipeline->sinks, "sink");
        if (!pipeline->drivers.empty() && !pipeline->sinks.empty()) {
            ++pipeline;
            continue;
        }
        plan.notRunning.push_back("pipeline." + pipeline->name + " (no " +
                                  (pipeline->drivers.empty() ? "driver" : "sink") + " of it is enabled)");
        pipeline = plan.pipelines.erase(pipeline);
    }
    const auto keepUsed = [&](std::vector<InstancePlan>& instances,
                              std::vector<std::string> PipelinePlan::*member) {
        std::set<std::string> used;
        for (const auto& pipeline : plan.pipelines)
            used.insert((pipeline.*member).begin(), (pipeline.*member).end());
        for (auto instance = instances.begin(); instance != instances.end();) {
            if (used.count(instance->name)) {
                ++instance;
                continue;
            }
            if (!disabled.count(instance->qualifiedName()))
                plan.notRunning.push_back(instance->qualifiedName() +
                                          " (only its pipelines that do not run use it)");
            instance = instances.erase(instance);
        }
    };
    keepUsed(plan.drivers, &PipelinePlan::drivers);
    keepUsed(plan.filters, &PipelinePlan::filters);
    keepUsed(plan.sinks, &PipelinePlan::sinks);
}

}  // namespace

HostSettings readHostSettings(const ConfigDocument& document, std::vector<ConfigIssue>& issues) {
    HostSettings settings;
    const ConfigSection* host = document.find("host", "");
    if (!host) {
        issues.push_back({"", "", "there is no [host] section (it names the station: system, city, street)"});
        return settings;
    }
    std::vector<OptionIssue> found;
    const Options options =
        Options::parse(hostOptions("host"), host->values, found, configDirectory(document));
    addIssues(issues, *host, found);
    const auto text = [&](const char* key) {
        return options.has(key) ? options.getString(key) : std::string();
    };
    settings.station.system = text("system");
    settings.station.city = text("city");
    settings.station.street = text("street");
    for (const char* key : {"system", "city", "street"}) {
        if (host->values.count(key) && text(key).empty())
            issues.push_back({host->label(), key, "is empty: a topic level needs a name"});
        else if (!validTopicLevel(text(key)))
            issues.push_back({host->label(), key,
                              "'" + text(key) + "' is a topic level: it may not contain '/', '+' or '#'"});
        else if (const std::string problem = nameLengthProblem(key, text(key)); !problem.empty())
            issues.push_back({host->label(), key, problem});
    }
    if (options.has("latitude") != options.has("longitude"))
        issues.push_back({host->label(), options.has("latitude") ? "longitude" : "latitude",
                          "latitude and longitude go together: set both or neither"});
    if (options.has("latitude") && options.has("longitude")) {
        settings.station.latitude = options.getNumber("latitude");
        settings.station.longitude = options.getNumber("longitude");
        settings.station.hasPosition = true;
    }
    if (options.has("plugin_path")) {
        for (const auto& directory : options.getList("plugin_path"))
            settings.pluginPath.push_back(options.resolvePath(directory));
    }
    settings.spoolDir = options.has("spool_dir") ? options.getPath("spool_dir") : std::string();
    settings.logLevel = text("log_level");
    settings.mallocArenas = static_cast<int>(options.getInt("malloc_arenas"));
    settings.shutdownTimeout = options.getDuration("shutdown_timeout");
    if (text("http_listen") != "off") {
        settings.httpListen = text("http_listen");
        try {
            net::splitHostPort(settings.httpListen, net::AddressUse::Listen);  // names are resolved later
        } catch (const std::invalid_argument& error) {
            issues.push_back({host->label(), "http_listen", error.what()});
        }
    }
    settings.remote.enabled = text("remote_config") == "on";
    settings.remote.keys = options.getList("remote_keys");
    if (options.has("remote_config_key") && !text("remote_config_key").empty())
        settings.remote.keyPath = options.getPath("remote_config_key");
    if (!settings.remote.enabled)
        return settings;
    try {
        if (settings.remote.keyPath.empty())
            throw KeyError(
                "missing: remote_config = on takes only documents signed with the operator's key, "
                "and this names its public half");
        Ed25519Key::readPublic(settings.remote.keyPath);
    } catch (const KeyError& error) {
        issues.push_back({host->label(), "remote_config_key", error.what()});
    }
    return settings;
}

Plan makePlan(const ConfigDocument& document, HostSettings host, const PluginRegistry& registry,
              std::vector<ConfigIssue>& issues) {
    Plan plan;
    plan.host = std::move(host);
    SectionIds sections;
    for (const auto& section : document.sections)
        sections.emplace(section.kind, section.name);
    for (const auto& section : document.sections) {
        if (section.kind == "driver")
            planInstance(section, PluginKind::Driver, document, registry, issues, plan.drivers);
        else if (section.kind == "filter")
            planInstance(section, PluginKind::Filter, document, registry, issues, plan.filters);
        else if (section.kind == "sink")
            planInstance(section, PluginKind::Sink, document, registry, issues, plan.sinks);
        else if (section.kind == "pipeline" && section.name.empty())
            issues.push_back(
                {section.label(), "", "a section of this kind needs a name: write [pipeline.NAME]"});
        else if (section.kind == "pipeline")
            plan.pipelines.push_back(planPipeline(section, sections, issues));
        else if (section.kind != "host" && section.values.count(""))
            issues.push_back({"", section.kind, "a key outside any section", false, section.file});
        else if (section.kind != "host")
            issues.push_back(
                {section.label(), "",
                 "unknown section (expected [host], [driver.NAME], [filter.NAME], [sink.NAME] or "
                 "[pipeline.NAME])"});
    }
    if (document.ofKind("pipeline").empty())
        issues.push_back({"", "", "there is no [pipeline.NAME] section: nothing would run"});
    checkUsed(plan.drivers, plan.pipelines, &PipelinePlan::drivers, true, issues);
    checkUsed(plan.filters, plan.pipelines, &PipelinePlan::filters, false, issues);
    checkUsed(plan.sinks, plan.pipelines, &PipelinePlan::sinks, false, issues);
    setAsideDisabled(plan);
    attributeFiles(document, issues);
    return plan;
}

Plan makePlan(const ConfigDocument& document, const PluginRegistry& registry,
              std::vector<ConfigIssue>& issues) {
    HostSettings host = readHostSettings(document, issues);
    return makePlan(document, std::move(host), registry, issues);
}

}  // namespace citysense
