// What a host loads for its configuration (PluginRegistry::scanFor): citysense-NAME.so of each plugin
// it runs, from the first directory whose copy loads, and nothing else, so that a gateway never maps
// the sql sink and its database connectors nor an operator's library it does not use; a copy in
// plugin_path replaces the built-in one; the rest of plugin_path is checked from the files alone
// (inspectUnloaded), so that a broken library there is named at every start, and a replacement that
// was passed by because of its file name is noticed; and, for a plugin whose
// library is named otherwise, everything is scanned after all.
#include "LoadingSupport.h"

#include <engine/PluginRegistry.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace citysense {
namespace {

using ::testing::HasSubstr;
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
    registry.scanFor({CITYSENSE_TEST_PLUGIN_DIR}, {"simulated", "console"});
    EXPECT_THAT(registry.errors(), IsEmpty());
    EXPECT_THAT(loadedNames(registry), UnorderedElementsAre("simulated", "console"));
}

TEST(PluginSelection, AGatewayThatDoesNotStoreNeverMapsTheSqlSink) {
    // A library once loaded may stay mapped after it is unloaded (its C++ unique symbols pin it), so
    // this holds only in a process of its own, as ctest runs each test.
    if (mapped("citysense-sql.so"))
        GTEST_SKIP() << "an earlier test of this process loaded the sql sink";
    PluginRegistry registry;
    registry.scanFor({CITYSENSE_TEST_PLUGIN_DIR}, {"simulated", "console"});
    EXPECT_TRUE(mapped("citysense-simulated.so"));
    EXPECT_FALSE(mapped("citysense-sql.so"));
}

TEST(PluginSelection, TheOperatorsLibrariesAHostDoesNotRunAreCheckedFromTheirFilesNotLoaded) {
    if (mapped("citysense-throwing.so") || mapped("citysense-not_plugin.so"))
        GTEST_SKIP() << "an earlier test of this process loaded the fixtures";
    const std::vector<std::string> pluginPath{test::fixtureDir("not_plugin"), test::fixtureDir("throwing"),
                                              test::fixtureDir("not_elf")};
    std::vector<std::string> directories = pluginPath;
    directories.push_back(CITYSENSE_TEST_PLUGIN_DIR);
    PluginRegistry registry;
    registry.scanFor(directories, {"console"});
    EXPECT_THAT(loadedNames(registry), UnorderedElementsAre("console"));
    EXPECT_THAT(registry.errors(), IsEmpty());
    registry.inspectUnloaded(pluginPath);
    EXPECT_FALSE(mapped("citysense-throwing.so"));
    EXPECT_FALSE(mapped("citysense-not_plugin.so"));
    // The throwing fixture's constructor fails only when it runs: from its file, it is a plugin.
    ASSERT_EQ(registry.errors().size(), 2u) << ::testing::PrintToString(registry.errors());
    EXPECT_EQ(registry.errors()[0].path, test::fixtureFile("not_plugin"));
    EXPECT_EQ(registry.errors()[0].message, "it does not export citysense_plugin_info()");
    EXPECT_EQ(registry.errors()[1].path, test::fixtureFile("not_elf"));
    EXPECT_EQ(registry.errors()[1].message, "not an ELF file");
}

TEST(PluginSelection, ACopyInThePluginPathReplacesTheBuiltInOne) {
    const test::ScratchDir dropIn;
    const std::string copy = dropIn.path() + "/citysense-console.so";
    std::filesystem::copy_file(CITYSENSE_TEST_PLUGIN_DIR "/citysense-console.so", copy);
    PluginRegistry registry;
    registry.scanFor({dropIn.path(), CITYSENSE_TEST_PLUGIN_DIR}, {"console"});
    EXPECT_THAT(registry.errors(), IsEmpty());
    ASSERT_NE(registry.find("console"), nullptr);
    EXPECT_EQ(registry.find("console")->path, copy);
    EXPECT_THAT(loadedNames(registry), UnorderedElementsAre("console"));
}

TEST(PluginSelection, AReplacementNamedOtherwiseIsNotLoadedAndSaysTheNameItMustHave) {
    const test::ScratchDir dropIn;
    const std::string copy = dropIn.path() + "/libmyconsole.so";
    std::filesystem::copy_file(CITYSENSE_TEST_PLUGIN_DIR "/citysense-console.so", copy);
    PluginRegistry registry;
    registry.scanFor({dropIn.path(), CITYSENSE_TEST_PLUGIN_DIR}, {"console"});
    ASSERT_NE(registry.find("console"), nullptr);
    EXPECT_EQ(registry.find("console")->path, CITYSENSE_TEST_PLUGIN_DIR "/citysense-console.so");
    registry.inspectUnloaded({dropIn.path()});
    EXPECT_THAT(registry.errors(), IsEmpty());
    ASSERT_EQ(registry.misnamed().size(), 1u);
    EXPECT_EQ(registry.misnamed()[0].path, copy);
    EXPECT_THAT(registry.misnamed()[0].message, HasSubstr("not loaded because of its name"));
    EXPECT_THAT(registry.misnamed()[0].message, HasSubstr("citysense-NAME.so"));
}

TEST(PluginSelection, ABrokenCopyInThePluginPathIsAnErrorAndTheBuiltInOneRuns) {
    const test::ScratchDir dropIn;
    const std::string broken = dropIn.write("citysense-console.so", "not a library");
    PluginRegistry registry;
    registry.scanFor({dropIn.path(), CITYSENSE_TEST_PLUGIN_DIR}, {"console"});
    ASSERT_NE(registry.find("console"), nullptr);
    EXPECT_EQ(registry.find("console")->path, CITYSENSE_TEST_PLUGIN_DIR "/citysense-console.so");
    ASSERT_EQ(registry.errors().size(), 1u);
    EXPECT_EQ(registry.errors()[0].path, broken);
    EXPECT_THAT(registry.errors()[0].message, HasSubstr("cannot load library"));
}

TEST(PluginSelection, APluginInALibraryNamedOtherwiseIsFoundByScanningEverything) {
    // fixture_good lives in citysense-good.so: no file bears its name.
    PluginRegistry registry;
    registry.scanFor({test::fixtureDir("good"), CITYSENSE_TEST_PLUGIN_DIR}, {"fixture_good", "console"});
    ASSERT_NE(registry.find("fixture_good"), nullptr);
    EXPECT_NE(registry.find("console"), nullptr);
    EXPECT_NE(registry.find("simulated"), nullptr) << "the fallback scans the directories whole";
}

TEST(PluginSelection, ANameThatIsNoPlainWordIsNeverPartOfAPath) {
    PluginRegistry registry;
    registry.scanFor({CITYSENSE_TEST_PLUGIN_DIR}, {"../plugins/citysense-console"});
    EXPECT_EQ(registry.find("../plugins/citysense-console"), nullptr);
    EXPECT_NE(registry.find("console"), nullptr)
        << "an unknown name: everything is scanned to list what there is";
}

}  // namespace
}  // namespace citysense
