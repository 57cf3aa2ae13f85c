// What a host loads for its configuration (PluginRegistry::scanFor): from the built-in plugin
// directories only the libraries of the plugins it runs, so that a gateway never maps the sql sink
// and its database connectors; the operator's plugin_path whole, so that a broken library there is
// named at every start; and, for a plugin whose library is named otherwise, everything after all.
#include "LoadingSupport.h"

#include <engine/PluginRegistry.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace citysense {
namespace {

using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

std::vector<std::string> loadedNames(const PluginRegistry& registry) {
    std::vector<std::string> names;
    for (const PluginEntry* entry : registry.plugins())
        names.push_back(entry->name);
    return names;
}

/// Whether a library whose path ends in `file` is mapped into this process.
bool mapped(const std::string& file) {
    std::ifstream maps("/proc/self/maps");
    std::stringstream text;
    text << maps.rdbuf();
    return text.str().find("/" + file + "\n") != std::string::npos;
}

TEST(PluginSelection, OnlyThePluginsAHostRunsAreLoadedFromTheBuiltInDirectory) {
    PluginRegistry registry;
    registry.scanFor({CITYSENSE_TEST_PLUGIN_DIR}, 0, {"simulated", "console"});
    EXPECT_THAT(registry.errors(), IsEmpty());
    EXPECT_THAT(loadedNames(registry), UnorderedElementsAre("simulated", "console"));
}

TEST(PluginSelection, AGatewayThatDoesNotStoreNeverMapsTheSqlSink) {
    // A library once loaded may stay mapped after it is unloaded (its C++ unique symbols pin it), so
    // this holds only in a process of its own, as ctest runs each test.
    if (mapped("citysense-sql.so"))
        GTEST_SKIP() << "an earlier test of this process loaded the sql sink";
    PluginRegistry registry;
    registry.scanFor({CITYSENSE_TEST_PLUGIN_DIR}, 0, {"simulated", "console"});
    EXPECT_TRUE(mapped("citysense-simulated.so"));
    EXPECT_FALSE(mapped("citysense-sql.so"));
}

TEST(PluginSelection, TheOperatorsDirectoriesAreScannedWholeSoABrokenLibraryIsNamed) {
    PluginRegistry registry;
    registry.scanFor({test::fixtureDir("not_plugin"), test::fixtureDir("good"), CITYSENSE_TEST_PLUGIN_DIR}, 2,
                     {"console"});
    EXPECT_THAT(loadedNames(registry), UnorderedElementsAre("fixture_good", "console"));
    ASSERT_EQ(registry.errors().size(), 1u);
    EXPECT_EQ(registry.errors()[0].path, test::fixtureFile("not_plugin"));
}

TEST(PluginSelection, APluginInALibraryNamedOtherwiseIsFoundByScanningEverything) {
    // fixture_good lives in citysense-good.so: no file bears its name.
    PluginRegistry registry;
    registry.scanFor({test::fixtureDir("good"), CITYSENSE_TEST_PLUGIN_DIR}, 0, {"fixture_good", "console"});
    ASSERT_NE(registry.find("fixture_good"), nullptr);
    EXPECT_NE(registry.find("console"), nullptr);
    EXPECT_NE(registry.find("simulated"), nullptr) << "the fallback scans the directories whole";
}

TEST(PluginSelection, ANameThatIsNoPlainWordIsNeverPartOfAPath) {
    PluginRegistry registry;
    registry.scanFor({CITYSENSE_TEST_PLUGIN_DIR}, 0, {"../plugins/citysense-console"});
    EXPECT_EQ(registry.find("../plugins/citysense-console"), nullptr);
    EXPECT_NE(registry.find("console"), nullptr)
        << "an unknown name: everything is scanned to list what there is";
}

}  // namespace
}  // namespace citysense
