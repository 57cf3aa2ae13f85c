// The live stream's hub and streams alone: ids, the resume window and its gap, what the writer collects
// (the events published since, none a stream opened after), the per-key and total limits, a slow
// stream marked once without holding up the others, and the filters.
#include "LiveHub.h"

#include <gtest/gtest.h>

namespace citysense::api {
namespace {

std::shared_ptr<const LiveObservation> observation(std::int64_t datastream, std::int64_t thing,
                                                   Quantity quantity = Quantity::NO2,
                                                   const std::string& street = "street_01") {
    auto made = std::make_shared<LiveObservation>();
    made->datastream = datastream;
    made->thing = thing;
    made->quantity = quantity;
    made->system = "hypo_city";
    made->city = "city_01";
    made->street = street;
    made->data = "{}";
    return made;
}

/// What the writer does with what it collects: offers every event to every stream.
void deliver(LiveHub& hub) {
    const LiveHub::Collected collected = hub.collect();
    for (const auto& stream : collected.streams) {
        for (const LiveEvent& event : collected.events)
            stream->offer(event);
    }
}

TEST(LiveHub, NumbersEventsAndResumesAfterALastEventIdItStillKeeps) {
    LiveHub hub(3, 60 * kMicrosPerSecond, 500);
    auto watcher = hub.open({}, "key", 10, 10, std::nullopt, 0);
    for (int reading = 0; reading < 5; ++reading)
        hub.publish(observation(3, 1), 0);
    deliver(hub);
    const auto events = watcher.stream->take();
    ASSERT_EQ(events.size(), 5u);
    EXPECT_TRUE(watcher.stream->take().empty());
    for (std::size_t at = 1; at < 5; ++at)
        EXPECT_EQ(events[at].id, events[at - 1].id + 1);
    EXPECT_EQ(*events[0].text, "id: " + std::to_string(events[0].id) + "\nevent: observation\ndata: {}\n\n");

    const auto resumed = hub.open({}, "key", 10, 10, events[2].id, 0);
    EXPECT_FALSE(resumed.gap);
    ASSERT_EQ(resumed.backlog.size(), 2u);
    EXPECT_EQ(resumed.backlog[0].id, events[3].id);

    const auto late = hub.open({}, "key", 10, 10, events[0].id, 0);
    ASSERT_TRUE(late.gap);
    EXPECT_NE(late.gap->find("\"resumesAfter\":" + std::to_string(events[1].id)), std::string::npos);
    EXPECT_EQ(late.backlog.size(), 3u);

    const auto fromAnotherRun = hub.open({}, "key", 10, 10, events[4].id + 100, 0);
    EXPECT_TRUE(fromAnotherRun.gap);
}

TEST(LiveHub, ForgetsEventsOlderThanTheWindowsAge) {
    LiveHub hub(100, 10 * kMicrosPerSecond, 500);
    hub.publish(observation(3, 1), 0);
    hub.publish(observation(3, 1), 5 * kMicrosPerSecond);
    const auto opened = hub.open({}, "key", 10, 10, 0, 12 * kMicrosPerSecond);
    EXPECT_TRUE(opened.gap);
    EXPECT_EQ(opened.backlog.size(), 1u);
}

TEST(LiveHub, LimitsStreamsPerKeyAndInAll) {
    LiveHub hub(10, kMicrosPerSecond, 500);
    auto first = hub.open({}, "a", 2, 3, std::nullopt, 0);
    auto second = hub.open({}, "a", 2, 3, std::nullopt, 0);
    EXPECT_EQ(hub.open({}, "a", 2, 3, std::nullopt, 0).refusal, LiveHub::Refusal::KeyLimit);
    auto other = hub.open({}, "b", 2, 3, std::nullopt, 0);
    EXPECT_EQ(hub.open({}, "c", 2, 3, std::nullopt, 0).refusal, LiveHub::Refusal::TotalLimit);
    hub.close(first.stream);
    EXPECT_EQ(hub.open({}, "a", 2, 3, std::nullopt, 0).refusal, LiveHub::Refusal::None);
    EXPECT_FALSE(hub.collect().ended);
    hub.endAll();
    EXPECT_TRUE(hub.collect().ended);
    EXPECT_EQ(hub.open({}, "d", 2, 3, std::nullopt, 0).refusal, LiveHub::Refusal::Ended);
}

TEST(LiveHub, WakesTheWriterOnceForWhatItHasNotCollectedAndHandsAStreamOnlyLaterEvents) {
    LiveHub hub(10, kMicrosPerSecond, 500);
    int wakes = 0;
    hub.wakeWith([&] { ++wakes; });
    auto early = hub.open({}, "key", 10, 10, std::nullopt, 0);
    hub.publish(observation(3, 1), 0);
    hub.publish(observation(3, 1), 0);
    EXPECT_EQ(wakes, 1);
    auto late = hub.open({}, "key", 10, 10, std::nullopt, 0);
    hub.publish(observation(3, 1), 0);
    const LiveHub::Collected collected = hub.collect();
    EXPECT_EQ(collected.events.size(), 3u);
    EXPECT_EQ(collected.streams.size(), 2u);
    for (const auto& stream : collected.streams) {
        for (const LiveEvent& event : collected.events)
            stream->offer(event);
    }
    EXPECT_EQ(early.stream->take().size(), 3u);
    const auto afterOpening = late.stream->take();
    ASSERT_EQ(afterOpening.size(), 1u) << "the two before it opened are not its";
    EXPECT_EQ(afterOpening[0].id, collected.events[2].id);
    hub.publish(observation(3, 1), 0);
    EXPECT_EQ(wakes, 2);
    hub.close(late.stream);
    EXPECT_EQ(hub.collect().streams.size(), 1u);
}

TEST(LiveStream, MarksItselfSlowOnceWhenItsQueueOverflows) {
    LiveHub hub(10, kMicrosPerSecond, 3);
    auto slow = hub.open({}, "key", 10, 10, std::nullopt, 0);
    auto fast = hub.open({}, "key", 10, 10, std::nullopt, 0);
    int overflows = 0;
    for (int reading = 0; reading < 6; ++reading) {
        hub.publish(observation(3, 1), 0);
        const LiveHub::Collected collected = hub.collect();
        for (const LiveEvent& event : collected.events) {
            overflows += slow.stream->offer(event) ? 1 : 0;
            fast.stream->offer(event);
        }
        EXPECT_EQ(fast.stream->take().size(), 1u);
    }
    EXPECT_EQ(overflows, 1);
    EXPECT_TRUE(slow.stream->slow());
    EXPECT_TRUE(slow.stream->take().empty());
    EXPECT_FALSE(fast.stream->slow());
}

TEST(LiveFilter, KeepsToThingsDatastreamsQuantitiesAndTheKeysStations) {
    EXPECT_TRUE(LiveFilter{}.accepts(*observation(3, 1)));
    LiveFilter thing2;
    thing2.things = {2};
    EXPECT_FALSE(thing2.accepts(*observation(3, 1)));
    LiveFilter datastreams;
    datastreams.datastreams = {3, 4};
    EXPECT_TRUE(datastreams.accepts(*observation(3, 1)));
    LiveFilter so2;
    so2.quantities = {Quantity::SO2};
    EXPECT_FALSE(so2.accepts(*observation(3, 1)));
    LiveFilter street2;
    street2.stations = {"hypo_city/city_01/street_02"};
    EXPECT_FALSE(street2.accepts(*observation(3, 1)));
    EXPECT_TRUE(street2.accepts(*observation(5, 2, Quantity::NO2, "street_02")));
}

}  // namespace
}  // namespace citysense::api
