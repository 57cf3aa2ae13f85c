#include "LoadingSupport.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace citysense {

void PrintTo(const PluginLoadError& error, std::ostream* out) {
    *out << error.path << ": " << error.message;
}

}  // namespace citysense

namespace citysense::test {

namespace {

const char* const kFixtureCases[] = {"good",     "not_elf",    "wrong_abi", "no_manifest",
                                     "throwing", "not_plugin", "duplicate", "abi_v1_0"};

}  // namespace

std::string fixtureDir(const std::string& fixtureCase) {
    return std::string(CITYSENSE_TEST_FIXTURE_DIR) + "/" + fixtureCase;
}

std::string fixtureFile(const std::string& fixtureCase) {
    // The duplicate carries the good library's file name: an old copy of it in another directory.
    const std::string file = fixtureCase == "duplicate" ? "good" : fixtureCase;
    return fixtureDir(fixtureCase) + "/citysense-" + file + ".so";
}

std::vector<std::string> allFixtureDirs() {
    std::vector<std::string> dirs;
    for (const char* fixtureCase : kFixtureCases)
        dirs.push_back(fixtureDir(fixtureCase));
    return dirs;
}

ScratchDir::ScratchDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "citysense-loading-XXXXXX").string();
    if (!mkdtemp(pattern.data()))
        throw std::runtime_error("cannot create a directory from " + pattern);
    _path = pattern;
}

ScratchDir::~ScratchDir() {
    std::error_code ignored;
    std::filesystem::remove_all(_path, ignored);
}

std::string ScratchDir::write(const std::string& name, const std::string& text) const {
    const std::string path = _path + "/" + name;
    std::ofstream out(path);
    out << text;
    if (!out.flush())
        throw std::runtime_error("cannot write " + path);
    return path;
}

std::string configText(const std::vector<std::string>& pluginPath, const std::string& rest) {
    std::string path;
    for (const auto& dir : pluginPath)
        path += (path.empty() ? "" : ", ") + dir;
    return "[host]\n"
           "system = hypo_city\n"
           "city = city_01\n"
           "street = street_01\n"
           "plugin_path = " +
           path + "\n\n" + rest;
}

std::string pipelineUsing(const std::string& plugin, const std::string& driverOptions) {
    return "[driver.air]\n"
           "plugin = " +
           plugin + "\n" + driverOptions +
           "\n"
           "[sink.out]\n"
           "plugin = console\n\n"
           "[pipeline.main]\n"
           "drivers = air\n"
           "sinks = out\n";
}

}  // namespace citysense::test
