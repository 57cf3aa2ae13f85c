#include "Plan.h"

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

const OptionTable& hostOptions(const std::string& kind) {
    static const OptionTable host = {
        Option::string("system", "", "First topic level: the system, e.g. hypo_city").mandatory(),
        Option::string("city", "", "Second topic level: the city, e.g. city_01").mandatory(),
        Option::string("street", "", "Third topic level: the street, e.g. street_01").mandatory(),
        Option::number("latitude", "", "Station latitude in degrees (WGS 84)").range(-90, 90),
        Option::number("longitude", "", "Station longitude in degrees (WGS 84)").range(-180, 180),
        Option::list(
            "plugin_path", "",
            "Directories searched for plugins before the built-in locations (relative: to this file)"),
        Option::path("spool_dir", "/var/lib/citysense/spool",
                     "Directory of the durable spools, one subdirectory per sink (empty: no spools)"),
        Option::duration("shutdown_timeout", "10s",
                         "How long a stopping host goes on delivering what sinks still queue; what is left "
                         "then goes to the spool, or is dropped and counted without one")
            .range(0, 3600),
        Option::string("http_listen", "127.0.0.1:8180",
                       "Address of the HTTP health and metrics endpoint (host:port; 'off' for none)"),
        Option::choice("log_level", {"error", "warning", "notice", "information", "debug", "trace"},
                       "information", "Least severe log level written"),
    };
    static const OptionTable driver = {
        Option::string("plugin", "", "The driver plugin this instance runs").mandatory(),
        Option::duration("interval", "10s", "Time between reads of a polled driver").range(0.001, 86400),
        Option::duration("max_backoff", "5m", "Longest wait between retries of a failing driver")
            .range(0.001, 86400),
    };
    static const OptionTable filter = {
        Option::string("plugin", "", "The filter plugin this instance runs").mandatory(),
    };
    static const OptionTable sink = {
        Option::string("plugin", "", "The sink plugin this instance runs").mandatory(),
        Option::integer("queue_size", "100000",
                        "Samples the sink's queue holds before the oldest are dropped")
            .range(1, 100000000),
        Option::integer("batch_size", "1000", "Most samples handed to the sink in one write")
            .range(1, 1000000),
        Option::duration("batch_interval", "0s",
                         "Longest wait for a write's batch to fill up to batch_size; 0 writes what is queued "
                         "at once")
            .range(0, 60),
        Option::duration("max_backoff", "30s", "Longest wait between retries of a failing sink")
            .range(0.001, 3600),
        Option::boolean("spool", "true",
                        "Keep samples the sink cannot deliver in the durable spool under spool_dir"),
        Option::size("spool_size", "64M",
                     "Most bytes the sink's spool takes on disk; when full the oldest samples are dropped "
                     "and counted")
            .atLeast(4096),
    };
    static const OptionTable pipeline = {
        Option::list("drivers", "", "Driver instances feeding the pipeline, by section name").mandatory(),
        Option::list("filters", "", "Filter instances applied in order"),
        Option::list("sinks", "", "Sink instances receiving the pipeline's samples").mandatory(),
    };
    static const OptionTable none;
    if (kind == "host")
        return host;
    if (kind == "driver")
        return driver;
    if (kind == "filter")
        return filter;
    if (kind == "sink")
        return sink;
    if (kind == "pipeline")
        return pipeline;
    return none;
}

bool hasErrors(const std::vector<ConfigIssue>& issues) {
    return std::any_of(issues.begin(), issues.end(), [](const ConfigIssue& issue) { return !issue.warning; });
}

namespace {

const char* const kInstanceKinds[] = {"driver", "filter", "sink"};

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

void checkReferences(const ConfigSection& section, const std::string& key, const std::string& kind,
                     const std::vector<std::string>& names, const ConfigDocument& document,
                     std::vector<ConfigIssue>& issues) {
    std::set<std::string> seen;
    for (const auto& name : names) {
        if (!document.find(kind, name))
            issues.push_back({section.label(), key, "there is no section [" + kind + "." + name + "]"});
        if (!seen.insert(name).second)
            issues.push_back(
                {section.label(), key, "'" + name + "' is listed twice (its samples would be doubled)"});
    }
}

PipelinePlan planPipeline(const ConfigSection& section, const ConfigDocument& document,
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
    checkReferences(section, "drivers", "driver", pipeline.drivers, document, issues);
    checkReferences(section, "filters", "filter", pipeline.filters, document, issues);
    checkReferences(section, "sinks", "sink", pipeline.sinks, document, issues);
    return pipeline;
}

void checkUsed(const std::vector<InstancePlan>& instances, const std::vector<PipelinePlan>& pipelines,
               std::vector<std::string> PipelinePlan::*member, bool unusedIsError,
               std::vector<ConfigIssue>& issues) {
    for (const auto& instance : instances) {
        const bool used = std::any_of(pipelines.begin(), pipelines.end(), [&](const PipelinePlan& pipeline) {
            const auto& names = pipeline.*member;
            return std::find(names.begin(), names.end(), instance.name) != names.end();
        });
        if (!used)
            issues.push_back({"[" + instance.qualifiedName() + "]", "",
                              unusedIsError
                                  ? "defined but no pipeline uses it (list it in a [pipeline.NAME] section)"
                                  : "defined but no pipeline uses it",
                              !unusedIsError});
    }
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
    settings.shutdownTimeout = options.getDuration("shutdown_timeout");
    if (text("http_listen") != "off")
        settings.httpListen = text("http_listen");
    return settings;
}

Plan makePlan(const ConfigDocument& document, const PluginRegistry& registry,
              std::vector<ConfigIssue>& issues) {
    Plan plan;
    plan.host = readHostSettings(document, issues);
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
            plan.pipelines.push_back(planPipeline(section, document, issues));
        else if (section.kind != "host" && section.values.count(""))
            issues.push_back({"", section.kind, "a key outside any section"});
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
    attributeFiles(document, issues);
    return plan;
}

}  // namespace citysense
