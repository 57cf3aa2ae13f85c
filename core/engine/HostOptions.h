// The keys the host itself reads, one table per kind of section: [host] (the station, plugin path,
// spool directory, timeouts), and the keys every driver, filter, sink and pipeline section takes
// besides its plugin's own. The planner validates sections against them, the plugin registry
// refuses plugins that declare options of these names, and `citysensed --describe` prints them.
#pragma once

#include <citysense/Options.h>

#include <string>

namespace citysense {

/// The keys the host itself reads in each kind of section ("host", "driver", "filter", "sink",
/// "pipeline"); plugins must not declare options of these names. Empty for any other kind.
const OptionTable& hostOptions(const std::string& kind);

}  // namespace citysense
