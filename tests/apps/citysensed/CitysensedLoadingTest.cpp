// The real citysensed over the fixture directories: --check fails, naming the library and the reason,
// only when the configuration uses a broken plugin; --list-plugins shows what loaded and what did not.

#include "LoadingSupport.h"

#include <Programs.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace citysense {
namespace {

using test::fixtureFile;
using test::runCitysensed;
using ::testing::HasSubstr;
using ::testing::Not;

TEST(CitysensedLoading, CheckFailsNamingTheLibraryWhenTheConfigurationUsesABrokenPlugin) {
    const test::ScratchDir dir;
    const std::string config = dir.write(
        "broken.ini", test::configText(test::allFixtureDirs(), test::pipelineUsing("fixture_throwing")));
    const auto result = runCitysensed({"--check", "-c", config});
    EXPECT_NE(result.status, 0) << result.output;
    EXPECT_THAT(result.output,
                HasSubstr(config + ": [driver.air] plugin: no driver plugin named 'fixture_throwing'"));
    EXPECT_THAT(result.output, HasSubstr(fixtureFile("throwing") + ": "));
    EXPECT_THAT(result.output, HasSubstr("fixture constructor failed"));
    EXPECT_THAT(result.output, HasSubstr("1 error(s); not started"));
    EXPECT_THAT(result.output, Not(HasSubstr("configuration is valid")));
}

TEST(CitysensedLoading, CheckFailsNamingTheFileSectionAndKeyWhenThePluginsOwnLibraryIsBroken) {
    const test::ScratchDir dir;
    const std::string broken = dir.write("citysense-nosuch.so", "not a library");
    const std::string config =
        dir.write("broken.ini", test::configText({dir.path()}, test::pipelineUsing("nosuch")));
    const auto result = runCitysensed({"--check", "-c", config});
    EXPECT_NE(result.status, 0) << result.output;
    EXPECT_THAT(result.output, HasSubstr(config + ": [driver.air] plugin: no driver plugin named 'nosuch'"));
    EXPECT_THAT(result.output, HasSubstr(broken + ": cannot load library"));
}

TEST(CitysensedLoading, CheckPassesWhenBrokenLibrariesAreOnThePathButUnused) {
    const test::ScratchDir dir;
    const std::string config =
        dir.write("good.ini", test::configText(test::allFixtureDirs(), test::pipelineUsing("fixture_good")));
    const auto result = runCitysensed({"--check", "-c", config});
    EXPECT_EQ(result.status, 0) << result.output;
    EXPECT_THAT(result.output, HasSubstr(config + ": configuration is valid"));
    EXPECT_THAT(result.output, Not(HasSubstr(fixtureFile("throwing"))));
}

TEST(CitysensedLoading, ListPluginsShowsTheGoodFixtureAndEveryLoadError) {
    const test::ScratchDir dir;
    const std::string config =
        dir.write("list.ini", test::configText(test::allFixtureDirs(), test::pipelineUsing("fixture_good")));
    const auto result = runCitysensed({"--list-plugins", "-c", config});
    EXPECT_EQ(result.status, 0) << result.output;
    EXPECT_THAT(result.output, HasSubstr("fixture_good"));
    EXPECT_THAT(result.output, HasSubstr(fixtureFile("good")));
    EXPECT_THAT(result.output, HasSubstr("fixture_abi_1_0"));
    EXPECT_THAT(result.output, HasSubstr("console"));
    for (const char* bad : {"not_elf", "wrong_abi", "no_manifest", "throwing", "not_plugin", "duplicate"})
        EXPECT_THAT(result.output, HasSubstr("error: " + fixtureFile(bad) + ": ")) << bad;
    EXPECT_THAT(result.output, HasSubstr("fixture constructor failed"));
}

TEST(CitysensedLoading, DescribeOfABrokenPluginFailsAndSaysWhy) {
    const test::ScratchDir dir;
    const std::string config = dir.write(
        "describe.ini", test::configText(test::allFixtureDirs(), test::pipelineUsing("fixture_good")));
    const auto result = runCitysensed({"--describe", "fixture_wrong_abi", "-c", config});
    EXPECT_NE(result.status, 0) << result.output;
    EXPECT_THAT(result.output, HasSubstr("no plugin named 'fixture_wrong_abi'"));
    EXPECT_THAT(result.output,
                HasSubstr(fixtureFile("wrong_abi") + ": plugin 'fixture_wrong_abi' was built for"));
}

TEST(CitysensedLoading, DescribeOfTheGoodFixturePrintsItsOptionAndChannel) {
    const test::ScratchDir dir;
    const std::string config = dir.write(
        "describe.ini", test::configText(test::allFixtureDirs(), test::pipelineUsing("fixture_good")));
    const auto result = runCitysensed({"--describe", "fixture_good", "-c", config});
    EXPECT_EQ(result.status, 0) << result.output;
    EXPECT_THAT(result.output, HasSubstr("fixture_good 1.0.0 (driver plugin)"));
    EXPECT_THAT(result.output, HasSubstr("file: " + fixtureFile("good")));
    EXPECT_THAT(result.output, ::testing::ContainsRegex("value +number +21\\.5"));
    EXPECT_THAT(result.output, ::testing::ContainsRegex("temperature +Cel"));
}

}  // namespace
}  // namespace citysense
