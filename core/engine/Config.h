// Reading a configuration file (INI or XML, by extension) into sections, and reporting problems with
// the file, section and key they concern.
#pragma once

#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace citysense {

/// One section: `[host]` (kind "host", no name) or `[driver.air]` (kind "driver", name "air").
struct ConfigSection {
    std::string kind;
    std::string name;
    std::map<std::string, std::string> values;
    std::string file{};                             ///< where the section first appears
    std::map<std::string, std::string> keyFiles{};  ///< keys a later fragment set, and that fragment

    /// The file that set `key` (the section's own file for keys no fragment overrode).
    const std::string& fileOf(const std::string& key) const;

    /// "[host]", "[driver.air]": how messages name the section.
    std::string label() const;
};

struct ConfigDocument {
    std::string path;                ///< the main file
    std::vector<std::string> files;  ///< the main file, then the conf.d fragments merged into it
    std::vector<ConfigSection> sections;

    const ConfigSection* find(const std::string& kind, const std::string& name) const;
    std::vector<const ConfigSection*> ofKind(const std::string& kind) const;
};

/// The file cannot be read or parsed at all.
class ConfigFileError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Reads `path`: `.xml` as XML, anything else as INI. Keys may nest (`temperature.mean`); in XML
/// they are nested elements: <citysense><driver><air><plugin>bme280</plugin></air></driver></citysense>.
/// Then merges the fragments (*.ini, *.conf, *.xml) of the directory conf.d/ beside it, in name
/// order: a fragment adds sections and overrides keys.
ConfigDocument readConfigFile(const std::string& path);

/// A conf.d fragment as it is to be: its path (as readConfigFile() spells it) and its text.
struct FragmentText {
    std::string path;
    std::string text;  ///< empty: the fragment is left out
};

/// Like readConfigFile(), with `replacement` read in place of the fragment at its path (whether or
/// not that exists), so a fragment can be checked before it is written.
ConfigDocument readConfigFile(const std::string& path, const FragmentText& replacement);

/// One problem found in a configuration.
struct ConfigIssue {
    std::string section;  ///< "[driver.air]"; empty for the file as a whole
    std::string key;      ///< empty for the section as a whole
    std::string message;
    bool warning = false;
    std::string file{};  ///< the file the problem is in, when it is not the main file
};

/// Sets each issue's file from the section and key it names (for keys set by conf.d fragments).
void attributeFiles(const ConfigDocument& document, std::vector<ConfigIssue>& issues);

/// "etc/demo.ini: [driver.air] interval: expected duration: ..." (`path`: the main file)
std::string formatIssue(const std::string& path, const ConfigIssue& issue);

}  // namespace citysense
