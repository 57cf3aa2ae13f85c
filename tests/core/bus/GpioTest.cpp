#include <citysense/testing/ScriptedEdgeSource.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace citysense {
namespace {

TEST(ScriptedEdgeSource, PlaysItsScriptOnAVirtualClock) {
    testing::ScriptedEdgeSource source(1000);
    source.addPulses(2000, 500, 3);
    auto first = source.next(5000);
    ASSERT_TRUE(first);
    EXPECT_EQ(first->time, 2000);
    EXPECT_EQ(source.now(), 2000);
    EXPECT_FALSE(source.next(100));  // the next edge is at 2500
    EXPECT_EQ(source.now(), 2100);
    EXPECT_EQ(source.next(1000)->time, 2500);
    EXPECT_EQ(source.next(1000)->time, 3000);
    EXPECT_FALSE(source.next(1000));
    EXPECT_EQ(source.pending(), 0u);
}

TEST(EdgeSources, ARegisteredFactoryServesItsChip) {
    registerEdgeSource("test-chip", [](const GpioLineSpec& spec) {
        auto source = std::make_unique<testing::ScriptedEdgeSource>();
        source->add({std::stoll(spec.line), true});
        return source;
    });
    auto source = openEdgeSource({"test-chip", "42", Edges::Both, Bias::AsIs});
    EXPECT_EQ(source->next(100)->time, 42);
    registerEdgeSource("test-chip", {});
}

TEST(EdgeSources, AMissingChipFailsNamingIt) {
    try {
        openEdgeSource({"no-such-gpiochip", "17", Edges::Falling, Bias::PullUp});
        FAIL() << "no error";
    } catch (const BusError& error) {
        EXPECT_THAT(error.what(), ::testing::HasSubstr("GPIO chip no-such-gpiochip: open: "));
    }
}

}  // namespace
}  // namespace citysense
