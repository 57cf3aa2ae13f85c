// The text of `citysensed --list-plugins` and `citysensed --describe NAME`.
#pragma once

#include <engine/PluginRegistry.h>

#include <ostream>

namespace citysense {

/// Every loaded plugin (name, kind, version, summary, file), then every file that failed to load.
void printPluginList(std::ostream& out, const PluginRegistry& registry);

/// One plugin: identity, its option table with the host's keys for its kind, and for a driver the
/// channels it produces with default options. False if no plugin has that name.
bool printPluginDescription(std::ostream& out, PluginRegistry& registry, const std::string& name);

}  // namespace citysense
