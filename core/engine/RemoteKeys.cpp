#include "RemoteKeys.h"

#include <fnmatch.h>

namespace citysense {

namespace {

/// What is never changed remotely, whatever remote_keys says: the plugins, where data goes and who
/// the gateway is there, devices, files and credentials.
const char* const kNever[] = {
    "host.*",
    "pipeline.*",
    "*.plugin",
    "*path*",
    "*spool*",
    "*dead_letter*",
    "*_dir",
    "*_file",
    "*_env",
    "*uri*",
    "*url*",
    "*user*",
    "*password*",
    "*secret*",
    "*.connection",
    "*.database",
    "*.host",
    "*.port",
    "*.address",
    "*.bus",
    "*.chip",
    "*.line",
    "*.serial",
    "*.iio_device",
    "*.output",
    "*.client_id",
    "*topic*",
    "*share_group*",
    "*.verify",
    "*tls*",
    "*.ca_*",
    "*.key*",
    "*.cert*",
    "*.protocol",
    "*.mqtt_version",
    "*.create_schema",
    "*.persistent_session",
};

bool matches(const std::string& pattern, const std::string& text) {
    return fnmatch(pattern.c_str(), text.c_str(), 0) == 0;
}

}  // namespace

const std::vector<std::string>& RemoteKeys::defaults() {
    static const std::vector<std::string> patterns = {
        "driver.*.interval", "driver.*.enabled", "sink.*.enabled", "filter.*.absolute",
        "filter.*.relative", "filter.*.min",     "filter.*.max",
    };
    return patterns;
}

bool RemoteKeys::never(const std::string& section, const std::string& key) {
    const std::string path = section + "." + key;
    for (const char* never : kNever) {
        if (matches(never, path))
            return true;
    }
    return false;
}

bool RemoteKeys::allows(const std::string& section, const std::string& key) const {
    if (never(section, key))
        return false;
    const std::string path = section + "." + key;
    for (const auto& pattern : _patterns) {
        if (matches(pattern, path))
            return true;
    }
    return false;
}

}  // namespace citysense
