// The text of `citysensed --list-plugins` and `citysensed --describe NAME [--format markdown]`.
#pragma once

#include <engine/PluginRegistry.h>

#include <ostream>

namespace citysense {

/// Every loaded plugin (name, kind, version, summary, file), then every file that failed to load.
void printPluginList(std::ostream& out, const PluginRegistry& registry);

enum class DescribeFormat {
    Text,      ///< for a terminal: identity, file, the host's keys and the plugin's options in columns
    Markdown,  ///< for the plugin's README: its options and channels as Markdown tables
};

/// One plugin: identity, its option table with the host's keys for its kind, and for a driver the
/// channels it produces with default options. In Markdown only what the plugin itself declares is
/// tabled (the host's keys are named in a sentence), and nothing that depends on where it is built.
/// False if no plugin has that name.
bool printPluginDescription(std::ostream& out, PluginRegistry& registry, const std::string& name,
                            DescribeFormat format = DescribeFormat::Text);

}  // namespace citysense
