#include "Config.h"

#include <Poco/AutoPtr.h>
#include <Poco/Exception.h>
#include <Poco/Util/IniFileConfiguration.h>
#include <Poco/Util/XMLConfiguration.h>

#include <algorithm>
#include <filesystem>

namespace citysense {

std::string ConfigSection::label() const {
    return "[" + (name.empty() ? kind : kind + "." + name) + "]";
}

const ConfigSection* ConfigDocument::find(const std::string& kind, const std::string& name) const {
    for (const auto& section : sections) {
        if (section.kind == kind && section.name == name)
            return &section;
    }
    return nullptr;
}

std::vector<const ConfigSection*> ConfigDocument::ofKind(const std::string& kind) const {
    std::vector<const ConfigSection*> result;
    for (const auto& section : sections) {
        if (section.kind == kind)
            result.push_back(&section);
    }
    return result;
}

namespace {

using Poco::Util::AbstractConfiguration;

std::string join(const std::string& prefix, const std::string& key) {
    return prefix.empty() ? key : prefix + "." + key;
}

/// Every leaf below `prefix`, keyed relative to it ("temperature.mean").
void collectLeaves(const AbstractConfiguration& config, const std::string& prefix,
                   const std::string& relative, std::map<std::string, std::string>& out) {
    AbstractConfiguration::Keys keys;
    config.keys(prefix, keys);
    for (const auto& key : keys) {
        const std::string full = join(prefix, key);
        AbstractConfiguration::Keys children;
        config.keys(full, children);
        if (children.empty())
            out[join(relative, key)] = config.getRawString(full, "");
        else
            collectLeaves(config, full, join(relative, key), out);
    }
}

bool isXml(const std::string& path) {
    std::string extension = std::filesystem::path(path).extension().string();
    std::transform(extension.begin(), extension.end(), extension.begin(), ::tolower);
    return extension == ".xml";
}

}  // namespace

ConfigDocument readConfigFile(const std::string& path) {
    std::error_code error;
    if (!std::filesystem::is_regular_file(path, error))
        throw ConfigFileError(path + ": no such configuration file");
    Poco::AutoPtr<AbstractConfiguration> config;
    try {
        if (isXml(path))
            config = new Poco::Util::XMLConfiguration(path);
        else
            config = new Poco::Util::IniFileConfiguration(path);
    } catch (const Poco::Exception& failure) {
        throw ConfigFileError(path + ": cannot be parsed: " + failure.displayText());
    }
    ConfigDocument document;
    document.path = path;
    AbstractConfiguration::Keys topLevel;
    config->keys(topLevel);
    for (const auto& kind : topLevel) {
        AbstractConfiguration::Keys names;
        config->keys(kind, names);
        if (names.empty()) {
            // A key outside any section: kept as a section of its own for the validator to name.
            document.sections.push_back({kind, "", {{"", config->getRawString(kind, "")}}});
            continue;
        }
        if (kind == "host") {
            ConfigSection host{kind, "", {}};
            collectLeaves(*config, kind, "", host.values);
            document.sections.push_back(host);
            continue;
        }
        ConfigSection unnamed{kind, "", {}};  // keys written directly in [driver] instead of [driver.NAME]
        for (const auto& name : names) {
            AbstractConfiguration::Keys keys;
            config->keys(join(kind, name), keys);
            if (keys.empty()) {
                unnamed.values[name] = config->getRawString(join(kind, name), "");
                continue;
            }
            ConfigSection section{kind, name, {}};
            collectLeaves(*config, join(kind, name), "", section.values);
            document.sections.push_back(section);
        }
        if (!unnamed.values.empty())
            document.sections.push_back(unnamed);
    }
    return document;
}

std::string formatIssue(const std::string& path, const ConfigIssue& issue) {
    std::string text = path + ": ";
    if (issue.warning)
        text += "warning: ";
    if (!issue.section.empty())
        text += issue.section + " ";
    if (!issue.key.empty())
        text += issue.key + ": ";
    return text + issue.message;
}

}  // namespace citysense
