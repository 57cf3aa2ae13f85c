// Which keys of a gateway's configuration the operator may change remotely: the gateway's own decision,
// `[host] remote_keys`, a list of patterns over "KIND.NAME.KEY" in which `*` stands for any text (dots
// included, so `filter.*.absolute` covers the per-quantity `filter.calm.no2.absolute` too). Whatever the
// patterns say, the host section, pipelines, plugins, paths, spool settings, credentials and server
// addresses are never changed remotely: a compromised operator key can move intervals and thresholds
// and mute instances, not redirect a gateway's data or run other code.
#pragma once

#include <string>
#include <vector>

namespace citysense {

class RemoteKeys {
public:
    /// The default of remote_keys: intervals, `enabled`, and the filters' thresholds.
    static const std::vector<std::string>& defaults();

    explicit RemoteKeys(std::vector<std::string> patterns) : _patterns(std::move(patterns)) {}

    /// True if `key` of `section` ("driver.no2", "interval") matches a pattern and is not one never
    /// changed remotely.
    bool allows(const std::string& section, const std::string& key) const;

    /// True if `key` of `section` is never changed remotely, whatever the patterns say.
    static bool never(const std::string& section, const std::string& key);

    static constexpr const char* kNeverReason =
        "never changed remotely (plugins, paths, spools, credentials, addresses, the host and pipeline "
        "sections)";
    static constexpr const char* kNotAllowedReason =
        "not allowed remotely by this gateway ([host] remote_keys)";

private:
    std::vector<std::string> _patterns;
};

}  // namespace citysense
