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

    /// "[host]", "[driver.air]": how messages name the section.
    std::string label() const;
};

struct ConfigDocument {
    std::string path;
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
ConfigDocument readConfigFile(const std::string& path);

/// One problem found in a configuration.
struct ConfigIssue {
    std::string section;  ///< "[driver.air]"; empty for the file as a whole
    std::string key;      ///< empty for the section as a whole
    std::string message;
    bool warning = false;
};

/// "etc/demo.ini: [driver.air] interval: expected duration: ..."
std::string formatIssue(const std::string& path, const ConfigIssue& issue);

}  // namespace citysense
