// The spool as a configuration sets it up: the sink keys spool and spool_size (bytes or k, M, G; a
// bad value is an error naming the section, the key and the text), and an engine whose sink cannot
// deliver keeping the samples under spool_dir/sink.NAME for the next start.
#include "PluginHarness.h"
#include "SpoolTesting.h"

#include <engine/Engine.h>
#include <engine/Plan.h>

#include <gtest/gtest.h>

#include <fstream>

namespace citysense {
namespace {

TEST(SpoolSize, TakesBytesOrPowersOf1024) {
    EXPECT_EQ(parseByteSize("4096"), 4096u);
    EXPECT_EQ(parseByteSize("8k"), 8u * 1024);
    EXPECT_EQ(parseByteSize("8K"), 8u * 1024);
    EXPECT_EQ(parseByteSize(" 64M "), 64u * 1024 * 1024);
    EXPECT_EQ(parseByteSize("2G"), 2ull * 1024 * 1024 * 1024);
    for (const char* bad :
         {"", "M", "12X", "1.5M", "-1", "8 k", "8m", "99999999999999999999", "17179869184G"})
        EXPECT_THROW(parseByteSize(bad), std::invalid_argument) << bad;
}

class SpoolEngineTest : public test::ScratchTest {
protected:
    /// A station spooling under spool/, its sink section with `sinkKeys` added, written to a file.
    std::string write(const std::string& sinkKeys, const std::string& shutdownTimeout = "50ms") {
        const std::string file = path("station.ini");
        std::ofstream(file) << "[host]\nsystem = hypo_city\ncity = city_01\nstreet = street_01\n"
                               "http_listen = off\nshutdown_timeout = "
                            << shutdownTimeout << "\nspool_dir = " << path("spool")
                            << "\n[driver.air]\nplugin = simulated\nquantities = temperature, humidity\n"
                               "[sink.out]\nplugin = console\n"
                            << sinkKeys << "[pipeline.main]\ndrivers = air\nsinks = out\n";
        return file;
    }

    /// The issues of the station with `sinkKeys`.
    std::vector<std::string> check(const std::string& sinkKeys) {
        const std::string file = write(sinkKeys);
        std::vector<ConfigIssue> issues;
        makePlan(readConfigFile(file), test::builtPlugins(), issues);
        std::vector<std::string> lines;
        for (const auto& issue : issues)
            lines.push_back(formatIssue(file, issue));
        return lines;
    }

    /// Builds the station with `sinkKeys`, reads its driver once and stops (a working sink stops as
    /// soon as it has delivered everything, a failing one at once or at the shutdown timeout); the
    /// sink's status.
    InstanceStatus runOnce(const std::string& sinkKeys, const std::string& shutdownTimeout = "50ms") {
        std::vector<ConfigIssue> issues;
        const Plan plan =
            makePlan(readConfigFile(write(sinkKeys, shutdownTimeout)), test::builtPlugins(), issues);
        Engine engine(plan, test::builtPlugins(), issues);
        EXPECT_TRUE(issues.empty());
        engine.runOnce();
        for (const auto& status : engine.status()) {
            if (status.name == "sink.out")
                return status;
        }
        ADD_FAILURE() << "no sink.out";
        return {};
    }

    std::size_t linesIn(const std::string& file) const {
        std::ifstream in(file);
        std::size_t lines = 0;
        for (std::string line; std::getline(in, line);)
            ++lines;
        return lines;
    }
};

TEST_F(SpoolEngineTest, TheSpoolKeysAreAccepted) {
    EXPECT_TRUE(check("spool = false\nspool_size = 4k\n").empty());
    EXPECT_TRUE(check("spool_size = 1G\n").empty());
}

TEST_F(SpoolEngineTest, ABadSizeNamesTheKeyAndTheText) {
    const auto lines = check("spool_size = 12X\n");
    ASSERT_EQ(lines.size(), 1u);
    EXPECT_NE(lines[0].find("[sink.out] spool_size: expected size: '12X' is not a size"), std::string::npos)
        << lines[0];
}

TEST_F(SpoolEngineTest, ASizeBelowTheMinimumIsAnError) {
    const auto lines = check("spool_size = 1000\n");
    ASSERT_EQ(lines.size(), 1u);
    EXPECT_NE(
        lines[0].find("[sink.out] spool_size: expected size: 1000 is out of range: must be at least 4096"),
        std::string::npos)
        << lines[0];
}

TEST_F(SpoolEngineTest, WhatTheSinkCannotDeliverWaitsInTheSpoolForTheNextStart) {
    // The output's directory is missing, so the console sink cannot open it.
    const std::string output = "format = json\noutput = " + path("later/out.jsonl") + "\n";
    const InstanceStatus failed = runOnce(output);
    EXPECT_EQ(failed.delivered, 0u);
    EXPECT_EQ(failed.dropped, 0u);
    EXPECT_EQ(failed.spoolPending, 2u);
    EXPECT_FALSE(test::ScratchTest::segments(path("spool/sink.out")).empty());

    std::filesystem::create_directories(path("later"));
    // Time enough to replay the spool on a busy machine: a sink that delivers everything stops at once.
    const InstanceStatus working = runOnce(output, "1m");
    EXPECT_EQ(working.delivered, 4u) << "the two kept and the two new";
    EXPECT_EQ(working.spoolPending, 0u);
    EXPECT_EQ(linesIn(path("later/out.jsonl")), 4u);
    EXPECT_TRUE(test::ScratchTest::segments(path("spool/sink.out")).empty());
}

TEST_F(SpoolEngineTest, WithoutTheSpoolASinkThatCannotDeliverDropsAtShutdown) {
    const InstanceStatus failed = runOnce("spool = false\noutput = " + path("never/out.jsonl") + "\n");
    EXPECT_EQ(failed.dropped, 2u);
    EXPECT_EQ(failed.spooled, 0u);
    EXPECT_FALSE(std::filesystem::exists(path("spool")));
}

}  // namespace
}  // namespace citysense
