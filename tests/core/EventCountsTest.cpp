// The event counts a plugin counts into through Plugin::countEvent(): per name, bounded in the number
// of names whatever is counted (the rest under "other", the first such name logged), and exact under
// concurrent counting, also while names are being made.
#include <citysense/EventCounts.h>

#include <RecordingLog.h>

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace citysense {
namespace {

using test::RecordingLog;

TEST(EventCounts, CountsPerName) {
    EventCounts counts("sink.counts");
    EXPECT_TRUE(counts.byName().empty());
    counts.add("failover");
    counts.add("conflict_retry", 3);
    counts.add("failover");
    counts.add("failover", 0);
    EXPECT_EQ(counts.byName(),
              (std::map<std::string, std::uint64_t>{{"conflict_retry", 3}, {"failover", 2}}));
    EXPECT_EQ(counts.count("failover"), 2u);
    EXPECT_EQ(counts.count("never"), 0u);
}

TEST(EventCounts, NamesBeyondTheBoundCountAsOtherAndTheFirstIsLogged) {
    RecordingLog log("sink.bounded");
    EventCounts counts("sink.bounded");
    for (std::size_t i = 0; i < EventCounts::kMostEvents + 10; ++i)
        counts.add("event_" + std::to_string(i));
    const auto byName = counts.byName();
    EXPECT_EQ(byName.size(), EventCounts::kMostEvents + 1);
    EXPECT_EQ(byName.at("other"), 10u);
    EXPECT_EQ(byName.count("event_" + std::to_string(EventCounts::kMostEvents)), 0u);
    EXPECT_EQ(
        log.count(Poco::Message::PRIO_WARNING,
                  "counted event \"event_" + std::to_string(EventCounts::kMostEvents) + "\" as \"other\""),
        1);
    EXPECT_EQ(log.count(Poco::Message::PRIO_WARNING, "as \"other\""), 1);
}

TEST(EventCounts, ANameThatIsNotSnakeCaseCountsAsOther) {
    EventCounts counts("sink.names");
    counts.add("Fail Over");
    counts.add("");
    counts.add(std::string(49, 'a'));
    counts.add("other");
    EXPECT_EQ(counts.byName(), (std::map<std::string, std::uint64_t>{{"other", 4}}));
    EXPECT_EQ(counts.count("other"), 4u);
}

TEST(EventCounts, CountsFromManyThreadsAddUpWhileNamesAreMade) {
    EventCounts counts("sink.threads");
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&counts, t] {
            for (int i = 0; i < 5000; ++i) {
                counts.add("shared");
                counts.add("event_" + std::to_string(t * 10 + i % 10));
            }
        });
    }
    for (auto& thread : threads)
        thread.join();
    const auto byName = counts.byName();
    EXPECT_EQ(byName.at("shared"), 20000u);
    std::uint64_t total = 0;
    for (const auto& [name, count] : byName)
        total += count;
    EXPECT_EQ(total, 40000u);
    EXPECT_EQ(byName.size(), EventCounts::kMostEvents + 1);  // 40 names more than fit, and "other"
}

}  // namespace
}  // namespace citysense
