// What the loading tests share: where each fixture case lives and a scratch directory for configuration
// files.
#pragma once

#include <engine/PluginRegistry.h>

#include <ostream>
#include <string>
#include <vector>

namespace citysense {

/// Shows a load error as "path: message" in test failures.
void PrintTo(const PluginLoadError& error, std::ostream* out);

}  // namespace citysense

namespace citysense::test {

/// test-plugins/CASE: the directory of one fixture case.
std::string fixtureDir(const std::string& fixtureCase);

/// The library file of a fixture case (the text file, for not_elf).
std::string fixtureFile(const std::string& fixtureCase);

/// The directories of every fixture case, good and bad.
std::vector<std::string> allFixtureDirs();

/// A directory under the system's temporary directory, removed with everything in it.
class ScratchDir {
public:
    ScratchDir();
    ~ScratchDir();
    ScratchDir(const ScratchDir&) = delete;
    ScratchDir& operator=(const ScratchDir&) = delete;

    const std::string& path() const { return _path; }

    /// Writes `text` to the file `name` in the directory; returns its path.
    std::string write(const std::string& name, const std::string& text) const;

private:
    std::string _path;
};

/// A configuration for the test station whose [host] plugin_path lists `pluginPath`, followed by `rest`.
std::string configText(const std::vector<std::string>& pluginPath, const std::string& rest);

/// A driver section `[driver.air]` of plugin `plugin` with `driverOptions` (lines "key = value"), a
/// console sink and a pipeline joining them.
std::string pipelineUsing(const std::string& plugin, const std::string& driverOptions = "");

}  // namespace citysense::test
