#include "Config.h"

#include <Poco/AutoPtr.h>
#include <Poco/Exception.h>
#include <Poco/Util/IniFileConfiguration.h>
#include <Poco/Util/XMLConfiguration.h>

#include <algorithm>
#include <filesystem>

namespace citysense {

const std::string& ConfigSection::fileOf(const std::string& key) const {
    const auto found = keyFiles.find(key);
    return found == keyFiles.end() ? file : found->second;
}

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

namespace {

/// One file, not merged with anything.
ConfigDocument readOneFile(const std::string& path) {
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
    for (auto& section : document.sections)
        section.file = path;
    return document;
}

std::vector<std::string> fragmentsBeside(const std::string& path) {
    const auto directory = std::filesystem::path(path).parent_path() / "conf.d";
    std::vector<std::string> fragments;
    std::error_code error;
    for (const auto& item : std::filesystem::directory_iterator(directory, error)) {
        const std::string extension = item.path().extension().string();
        if (item.is_regular_file(error) &&
            (extension == ".ini" || extension == ".conf" || extension == ".xml"))
            fragments.push_back(item.path().string());
    }
    std::sort(fragments.begin(), fragments.end());
    return fragments;
}

void merge(ConfigDocument& document, const ConfigDocument& fragment) {
    for (const auto& section : fragment.sections) {
        auto same =
            std::find_if(document.sections.begin(), document.sections.end(), [&](const ConfigSection& known) {
                return known.kind == section.kind && known.name == section.name;
            });
        if (same == document.sections.end()) {
            document.sections.push_back(section);
            continue;
        }
        for (const auto& [key, value] : section.values) {
            same->values[key] = value;
            same->keyFiles[key] = fragment.path;
        }
    }
    document.files.push_back(fragment.path);
}

}  // namespace

ConfigDocument readConfigFile(const std::string& path) {
    ConfigDocument document = readOneFile(path);
    document.files = {path};
    for (const auto& fragment : fragmentsBeside(path))
        merge(document, readOneFile(fragment));
    return document;
}

void attributeFiles(const ConfigDocument& document, std::vector<ConfigIssue>& issues) {
    for (auto& issue : issues) {
        for (const auto& section : document.sections) {
            if (section.label() == issue.section) {
                issue.file = section.fileOf(issue.key);
                break;
            }
        }
    }
}

std::string formatIssue(const std::string& path, const ConfigIssue& issue) {
    std::string text = (issue.file.empty() ? path : issue.file) + ": ";
    if (issue.warning)
        text += "warning: ";
    if (!issue.section.empty())
        text += issue.section + " ";
    if (!issue.key.empty())
        text += issue.key + ": ";
    return text + issue.message;
}

}  // namespace citysense
