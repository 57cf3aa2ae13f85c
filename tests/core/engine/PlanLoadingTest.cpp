// Load errors as a configuration meets them: makePlan over a registry that scanned the fixture
// directories names the library and the reason when a section uses a broken plugin, and says nothing
// about broken libraries that no section uses.

#include "LoadingSupport.h"

#include <engine/Config.h>
#include <engine/Plan.h>
#include <engine/PluginRegistry.h>

#include <citysense/Abi.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <ostream>
#include <set>
#include <string>
#include <vector>

namespace citysense {
namespace {

using test::fixtureFile;
using ::testing::HasSubstr;
using ::testing::SizeIs;

/// A configuration checked the way citysensed checks it: [host] first, then the plugin path, then the plan.
struct CheckedConfig {
    std::unique_ptr<PluginRegistry> registry = std::make_unique<PluginRegistry>();
    Plan plan;
    std::vector<ConfigIssue> issues;
    std::string path;

    std::string issuesText() const {
        std::string text;
        for (const auto& issue : issues)
            text += formatIssue(path, issue) + "\n";
        return text;
    }
};

CheckedConfig check(const test::ScratchDir& dir, const std::string& text) {
    CheckedConfig checked;
    checked.path = dir.write("citysense.ini", text);
    const ConfigDocument document = readConfigFile(checked.path);
    const HostSettings host = readHostSettings(document, checked.issues);
    EXPECT_FALSE(hasErrors(checked.issues));
    std::vector<std::string> pluginPath = host.pluginPath;
    pluginPath.push_back(CITYSENSE_TEST_PLUGIN_DIR);  // the console sink
    checked.registry->scan(pluginPath);
    checked.issues.clear();
    checked.plan = makePlan(document, *checked.registry, checked.issues);
    return checked;
}

TEST(PlanLoading, ConfigurationNotUsingBrokenPluginsHasNoErrors) {
    const test::ScratchDir dir;
    const auto checked =
        check(dir, test::configText(test::allFixtureDirs(), test::pipelineUsing("fixture_good")));
    EXPECT_FALSE(checked.registry->errors().empty());
    EXPECT_FALSE(hasErrors(checked.issues)) << checked.issuesText();
    EXPECT_TRUE(checked.issues.empty()) << checked.issuesText();
    ASSERT_THAT(checked.plan.drivers, SizeIs(1));
    EXPECT_EQ(checked.plan.drivers[0].plugin, "fixture_good");
    EXPECT_EQ(checked.plan.drivers[0].options.getNumber("value"), 21.5);
    EXPECT_EQ(checked.plan.plugins(), (std::set<std::string>{"fixture_good", "console"}));
}

TEST(PlanLoading, FixtureOptionsAreValidatedAgainstItsTable) {
    const test::ScratchDir dir;
    const auto checked =
        check(dir, test::configText(test::allFixtureDirs(),
                                    test::pipelineUsing("fixture_abi_1_0", "value = 99\nvaleu = 3\n")));
    std::vector<std::string> keys;
    for (const auto& issue : checked.issues) {
        EXPECT_EQ(issue.section, "[driver.air]");
        keys.push_back(issue.key);
    }
    EXPECT_THAT(keys, ::testing::UnorderedElementsAre("value", "valeu")) << checked.issuesText();
}

/// A broken fixture a configuration uses, and what the error must say beside the library's path.
struct BrokenUse {
    std::string fixtureCase;
    std::string plugin;
    std::vector<std::string> words;
};

void PrintTo(const BrokenUse& use, std::ostream* out) {
    *out << use.fixtureCase;
}

class BrokenPluginInPlan : public ::testing::TestWithParam<BrokenUse> {};

TEST_P(BrokenPluginInPlan, IsAnErrorNamingTheLibraryAndTheReason) {
    const BrokenUse& use = GetParam();
    const test::ScratchDir dir;
    const auto checked =
        check(dir, test::configText(test::allFixtureDirs(), test::pipelineUsing(use.plugin)));
    ASSERT_TRUE(hasErrors(checked.issues));
    std::vector<const ConfigIssue*> errors;
    for (const auto& issue : checked.issues) {
        if (!issue.warning)
            errors.push_back(&issue);
    }
    ASSERT_THAT(errors, SizeIs(1)) << checked.issuesText();
    const ConfigIssue& error = *errors[0];
    EXPECT_EQ(error.section, "[driver.air]");
    EXPECT_EQ(error.key, "plugin");
    EXPECT_THAT(error.message, HasSubstr("'" + use.plugin + "'"));
    EXPECT_THAT(error.message, HasSubstr(fixtureFile(use.fixtureCase) + ": "));
    for (const auto& word : use.words)
        EXPECT_THAT(error.message, HasSubstr(word));
    // The library that did load is offered instead, and no unrelated named failure is listed.
    EXPECT_THAT(error.message, HasSubstr("fixture_good"));
    EXPECT_THAT(error.message, ::testing::Not(HasSubstr(fixtureFile("duplicate"))));
}

INSTANTIATE_TEST_SUITE_P(
    Fixtures, BrokenPluginInPlan,
    ::testing::Values(BrokenUse{"throwing", "fixture_throwing", {"fixture constructor failed"}},
                      BrokenUse{
                          "wrong_abi",
                          "fixture_wrong_abi",
                          {std::to_string(CITYSENSE_ABI_MAJOR + 1) + ".0",
                           std::to_string(CITYSENSE_ABI_MAJOR) + "." + std::to_string(CITYSENSE_ABI_MINOR)}},
                      BrokenUse{"no_manifest", "fixture_no_manifest", {"manifest"}}),
    [](const ::testing::TestParamInfo<BrokenUse>& info) { return info.param.fixtureCase; });

// A plugin whose own default does not parse is a broken plugin: the host reports it, naming the option,
// instead of letting std::invalid_argument escape makePlan (and citysensed --check end on a bare
// "'ten' is not an integer").
TEST(PlanLoading, PluginWhoseDefaultDoesNotParseIsReportedNotThrown) {
    const test::ScratchDir dir;
    const std::string path = dir.write(
        "bad_default.ini",
        test::configText({test::fixtureDir("bad_default")}, test::pipelineUsing("fixture_bad_default")));
    const ConfigDocument document = readConfigFile(path);
    std::vector<ConfigIssue> issues;
    const HostSettings host = readHostSettings(document, issues);
    PluginRegistry registry;
    registry.scan({host.pluginPath.at(0), CITYSENSE_TEST_PLUGIN_DIR});
    issues.clear();
    ASSERT_NO_THROW(makePlan(document, registry, issues));
    EXPECT_TRUE(hasErrors(issues));
    std::string text;
    for (const auto& issue : issues)
        text += formatIssue(path, issue) + "\n";
    EXPECT_THAT(text, HasSubstr("fixture_bad_default"));
    EXPECT_THAT(text, HasSubstr("count"));
    EXPECT_THAT(text, HasSubstr("ten"));
}

}  // namespace
}  // namespace citysense
