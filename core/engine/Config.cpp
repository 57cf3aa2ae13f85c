#include "Config.h"

#include "ConfigEntries.h"

#include <algorithm>
#include <filesystem>
#include <fstream>

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

bool isXml(const std::string& path) {
    std::string extension = std::filesystem::path(path).extension().string();
    std::transform(extension.begin(), extension.end(), extension.begin(), ::tolower);
    return extension == ".xml";
}

std::string readBounded(const std::string& path) {
    std::error_code error;
    if (!std::filesystem::is_regular_file(path, error))
        throw ConfigFileError(path + ": no such configuration file");
    const auto size = std::filesystem::file_size(path, error);
    if (!error && size > ConfigLimits::maxFileBytes)
        throw ConfigFileError(path + ": " + std::to_string(size) +
                              " bytes; a configuration file may have at most " +
                              std::to_string(ConfigLimits::maxFileBytes));
    std::ifstream file(path, std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
    if (!file.good() && !file.eof())
        throw ConfigFileError(path + ": cannot be read");
    return text;
}

/// Groups the entries into sections, ordered by kind and name: `host.KEY` into [host],
/// `KIND.NAME.KEY` into [KIND.NAME], `KIND.KEY` into an unnamed [KIND] (for the validator to refuse),
/// and a key outside any section into a section of its own kind with the key "". A key set again
/// later in the file takes the later value, as a fragment's does.
std::vector<ConfigSection> groupSections(const std::vector<ConfigEntry>& entries) {
    std::map<std::pair<std::string, std::string>, ConfigSection> sections;
    std::vector<ConfigSection> outside;
    for (const auto& entry : entries) {
        const auto firstDot = entry.key.find('.');
        if (firstDot == std::string::npos) {
            outside.push_back({entry.key, "", {{"", entry.value}}});
            continue;
        }
        const std::string kind = entry.key.substr(0, firstDot);
        const auto secondDot = entry.key.find('.', firstDot + 1);
        const bool unnamed = kind == "host" || secondDot == std::string::npos;
        const std::string name = unnamed ? "" : entry.key.substr(firstDot + 1, secondDot - firstDot - 1);
        ConfigSection& section = sections[{kind, name}];
        section.kind = kind;
        section.name = name;
        section.values[entry.key.substr((unnamed ? firstDot : secondDot) + 1)] = entry.value;
    }
    std::vector<ConfigSection> result;
    result.reserve(sections.size() + outside.size());
    for (auto& [id, section] : sections)
        result.push_back(std::move(section));
    for (auto& section : outside)
        result.push_back(std::move(section));
    return result;
}

/// One file of `text`, not merged with anything.
ConfigDocument parseOneFile(const std::string& path, const std::string& text) {
    ConfigDocument document;
    document.path = path;
    document.sections = groupSections(isXml(path) ? readXmlEntries(path, text) : readIniEntries(path, text));
    for (auto& section : document.sections)
        section.file = path;
    return document;
}

ConfigDocument readOneFile(const std::string& path) {
    return parseOneFile(path, readBounded(path));
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
    std::map<std::pair<std::string, std::string>, std::size_t> known;
    for (std::size_t at = 0; at < document.sections.size(); ++at)
        known.emplace(std::make_pair(document.sections[at].kind, document.sections[at].name), at);
    for (const auto& section : fragment.sections) {
        const auto same = known.find({section.kind, section.name});
        if (same == known.end()) {
            document.sections.push_back(section);
            continue;
        }
        ConfigSection& target = document.sections[same->second];
        for (const auto& [key, value] : section.values) {
            target.values[key] = value;
            target.keyFiles[key] = fragment.path;
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

ConfigDocument readConfigFile(const std::string& path, const FragmentText& replacement) {
    ConfigDocument document = readOneFile(path);
    document.files = {path};
    std::vector<std::string> fragments = fragmentsBeside(path);
    fragments.erase(std::remove(fragments.begin(), fragments.end(), replacement.path), fragments.end());
    if (!replacement.text.empty()) {
        fragments.push_back(replacement.path);
        std::sort(fragments.begin(), fragments.end());
    }
    for (const auto& fragment : fragments)
        merge(document, fragment == replacement.path ? parseOneFile(fragment, replacement.text)
                                                     : readOneFile(fragment));
    return document;
}

void attributeFiles(const ConfigDocument& document, std::vector<ConfigIssue>& issues) {
    std::map<std::string, const ConfigSection*> byLabel;
    for (const auto& section : document.sections)
        byLabel.emplace(section.label(), &section);
    for (auto& issue : issues) {
        if (const auto found = byLabel.find(issue.section); found != byLabel.end())
            issue.file = found->second->fileOf(issue.key);
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
    // Names and values come from the file as written: no control byte of theirs reaches a terminal.
    return printable(text + issue.message);
}

}  // namespace citysense
