// `enabled = false` on a driver or sink: the section is still checked, but the instance does not run,
// its pipelines run without it, and a pipeline left without a driver or a sink does not run either, nor
// what only it used.
#include "PluginHarness.h"

#include <engine/Engine.h>
#include <engine/Plan.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace citysense {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

const char* const kStation = "[host]\nsystem = hypo_city\ncity = city_01\nstreet = street_01\n";

class DisabledInstances : public ::testing::Test {
protected:
    /// The plan of `text` (after [host]); its issues in _issues.
    Plan plan(const std::string& text) {
        const auto path = std::filesystem::temp_directory_path() /
                          ("citysense-disabled-" + std::to_string(::getpid()) + ".ini");
        std::ofstream(path) << kStation << text;
        Plan result = makePlan(readConfigFile(path.string()), test::builtPlugins(), _issues);
        std::filesystem::remove(path);
        return result;
    }

    static std::vector<std::string> names(const std::vector<InstancePlan>& instances) {
        std::vector<std::string> result;
        for (const auto& instance : instances)
            result.push_back(instance.name);
        return result;
    }

    std::vector<ConfigIssue> _issues;
};

TEST_F(DisabledInstances, ADisabledDriverDoesNotRunAndItsPipelineRunsWithoutIt) {
    const Plan result = plan(
        "[driver.air]\nplugin = simulated\nquantities = temperature\n"
        "[driver.no2]\nplugin = simulated\nquantities = no2\nenabled = false\n"
        "[sink.out]\nplugin = console\n[pipeline.main]\ndrivers = air, no2\nsinks = out\n");
    EXPECT_THAT(_issues, IsEmpty());
    EXPECT_THAT(names(result.drivers), ElementsAre("air"));
    ASSERT_EQ(result.pipelines.size(), 1u);
    EXPECT_THAT(result.pipelines[0].drivers, ElementsAre("air"));
    EXPECT_THAT(result.notRunning, ElementsAre("driver.no2 (enabled = false)"));
    std::vector<ConfigIssue> engineIssues;
    Engine engine(result, test::builtPlugins(), engineIssues);
    EXPECT_THAT(engineIssues, IsEmpty());
}

TEST_F(DisabledInstances, ADisabledSectionIsStillChecked) {
    plan(
        "[driver.no2]\nplugin = simulated\nquantities = no2\nenabled = false\nintervall = 1s\n"
        "[sink.out]\nplugin = console\n[pipeline.main]\ndrivers = no2\nsinks = out\n");
    ASSERT_EQ(_issues.size(), 1u);
    EXPECT_EQ(_issues[0].section, "[driver.no2]");
    EXPECT_EQ(_issues[0].key, "intervall");
}

TEST_F(DisabledInstances, EnabledIsABoolean) {
    plan(
        "[driver.no2]\nplugin = simulated\nquantities = no2\nenabled = maybe\n"
        "[sink.out]\nplugin = console\n[pipeline.main]\ndrivers = no2\nsinks = out\n");
    ASSERT_EQ(_issues.size(), 1u);
    EXPECT_EQ(_issues[0].key, "enabled");
}

TEST_F(DisabledInstances, APipelineWithoutAnEnabledSinkDoesNotRunNorWhatOnlyItUses) {
    const Plan result = plan(
        "[driver.air]\nplugin = simulated\nquantities = temperature\n"
        "[driver.wind]\nplugin = simulated\nquantities = wind_speed\n"
        "[filter.calm]\nplugin = range\n"
        "[sink.out]\nplugin = console\n"
        "[sink.db]\nplugin = console\nenabled = false\n"
        "[pipeline.main]\ndrivers = air\nsinks = out\n"
        "[pipeline.archive]\ndrivers = air, wind\nfilters = calm\nsinks = db\n");
    EXPECT_THAT(_issues, IsEmpty());
    ASSERT_EQ(result.pipelines.size(), 1u);
    EXPECT_EQ(result.pipelines[0].name, "main");
    EXPECT_THAT(names(result.drivers), ElementsAre("air"));
    EXPECT_THAT(result.filters, IsEmpty());
    EXPECT_THAT(names(result.sinks), ElementsAre("out"));
    EXPECT_THAT(result.notRunning,
                ElementsAre("sink.db (enabled = false)", "pipeline.archive (no sink of it is enabled)",
                            "driver.wind (only its pipelines that do not run use it)",
                            "filter.calm (only its pipelines that do not run use it)"));
}

}  // namespace
}  // namespace citysense
