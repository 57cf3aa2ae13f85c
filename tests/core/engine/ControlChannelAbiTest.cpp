// The engine finds a sink's control channel (SDK ABI 1.3) for the remote configuration, and never asks
// a sink built for an older ABI, whose vtable has no Sink::controlChannel().
#include "LoadingSupport.h"

#include <engine/Engine.h>
#include <engine/Plan.h>

#include <gtest/gtest.h>

namespace citysense {
namespace {

class ControlChannelAbi : public ::testing::Test {
protected:
    ControlChannelAbi() { _registry.scan({test::fixtureDir("abi_v1_2_sink"), CITYSENSE_TEST_PLUGIN_DIR}); }

    /// The engine of a station whose pipeline ends in `sinks` (sections after [pipeline.main]).
    std::unique_ptr<Engine> engine(const std::string& sinkNames, const std::string& sinkSections) {
        const std::string path =
            _scratch.write("station.ini",
                           "[host]\nsystem = hypo_city\ncity = city_01\nstreet = street_01\nspool_dir =\n"
                           "[driver.air]\nplugin = simulated\nquantities = no2\n"
                           "[pipeline.main]\ndrivers = air\nsinks = " +
                               sinkNames + "\n" + sinkSections);
        _plan = makePlan(readConfigFile(path), _registry, _issues);
        auto built = std::make_unique<Engine>(_plan, _registry, _issues);
        EXPECT_TRUE(_issues.empty()) << formatIssue(path, _issues.front());
        return built;
    }

    test::ScratchDir _scratch;
    PluginRegistry _registry;
    Plan _plan;
    std::vector<ConfigIssue> _issues;
};

const char* const kOldSink = "[sink.a_old]\nplugin = fixture_abi_1_2_sink\n";
const char* const kMqttSink = "[sink.broker]\nplugin = mqtt\nuri = tcp://127.0.0.1:1\n";

TEST_F(ControlChannelAbi, TheMqttSinkOffersOneAndASinkOfAbi12IsNeverAsked) {
    EXPECT_NE(engine("a_old, broker", std::string(kOldSink) + kMqttSink)->controlChannel(), nullptr);
    EXPECT_EQ(engine("a_old", kOldSink)->controlChannel(), nullptr);
}

TEST_F(ControlChannelAbi, ASinkWithoutAChannelOffersNone) {
    EXPECT_EQ(engine("out", "[sink.out]\nplugin = console\n")->controlChannel(), nullptr);
}

}  // namespace
}  // namespace citysense
