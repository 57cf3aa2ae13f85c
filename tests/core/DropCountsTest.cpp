// The drop counts a plugin counts into through Plugin::countDropped(): per reason, bounded in the
// number of reasons whatever is counted, exact under concurrent counting, and logged by the count
// itself: the first drop of a reason with its detail, then at most one summary per reason and interval.
#include <citysense/DropCounts.h>

#include <RecordingLog.h>

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace citysense {
namespace {

using test::RecordingLog;

constexpr Micros kMinute = 60 * kMicrosPerSecond;

/// A clock the test moves by hand.
struct ManualClock {
    Micros now = 1000 * kMinute;
    std::function<Micros()> function() {
        return [this] { return now; };
    }
};

TEST(DropCounts, CountsPerReason) {
    DropCounts counts("driver.counts");
    counts.add("bad_frame", 1, "");
    counts.add("bad_checksum", 3, "");
    counts.add("bad_frame", 2, "");
    counts.add("bad_frame", 0, "nothing");
    EXPECT_EQ(counts.byReason(),
              (std::map<std::string, std::uint64_t>{{"bad_checksum", 3}, {"bad_frame", 3}}));
    EXPECT_EQ(counts.count("bad_frame"), 3u);
    EXPECT_EQ(counts.count("never"), 0u);
}

TEST(DropCounts, ReasonsBeyondTheBoundCountAsOther) {
    RecordingLog log("driver.bounded");
    DropCounts counts("driver.bounded");
    for (std::size_t i = 0; i < DropCounts::kMostReasons + 100; ++i)
        counts.add("reason_" + std::to_string(i), 1, "");
    const auto byReason = counts.byReason();
    EXPECT_EQ(byReason.size(), DropCounts::kMostReasons + 1);
    EXPECT_EQ(byReason.at("reason_0"), 1u);
    EXPECT_EQ(byReason.at("other"), 100u);
    EXPECT_EQ(byReason.count("reason_" + std::to_string(DropCounts::kMostReasons)), 0u);
    // Known reasons go on counting under their names.
    counts.add("reason_1", 1, "");
    EXPECT_EQ(counts.count("reason_1"), 2u);
    EXPECT_EQ(log.count(Poco::Message::PRIO_WARNING,
                        "dropped 1 (other): \"reason_" + std::to_string(DropCounts::kMostReasons) + "\""),
              1);
}

TEST(DropCounts, AReasonThatIsNotSnakeCaseCountsAsOther) {
    RecordingLog log("driver.names");
    DropCounts counts("driver.names");
    counts.add("Bad Frame\n", 1, "the detail");
    counts.add("", 1, "");
    counts.add(std::string(DropCounts::kLongestReason + 1, 'a'), 1, "");
    EXPECT_EQ(counts.byReason(), (std::map<std::string, std::uint64_t>{{"other", 3}}));
    EXPECT_EQ(log.count(Poco::Message::PRIO_WARNING, "dropped 1 (other): \"Bad Frame\\n\": the detail"), 1);
}

TEST(DropCounts, LogsTheFirstOfAReasonThenOneSummaryPerInterval) {
    RecordingLog log("driver.paced");
    ManualClock clock;
    DropCounts counts("driver.paced", kMinute, clock.function());
    counts.add("bad_frame", 1, "no <STX>: \"junk\"");
    EXPECT_EQ(log.find(Poco::Message::PRIO_WARNING, "dropped"),
              std::vector<std::string>{"dropped 1 (bad_frame): no <STX>: \"junk\""});
    for (int i = 0; i < 40; ++i)
        counts.add("bad_frame", 1, "last " + std::to_string(i));
    counts.logDueSummaries();
    EXPECT_EQ(log.count(Poco::Message::PRIO_WARNING, "dropped"), 1);

    clock.now += kMinute;
    counts.add("bad_frame", 1, "the 42nd");
    EXPECT_EQ(
        log.count(Poco::Message::PRIO_WARNING, "dropped 41 more (bad_frame, 42 in all); the last: the 42nd"),
        1);

    // A burst that ends is summed up by the host's periodic call once the interval has passed.
    counts.add("bad_frame", 5, "burst");
    clock.now += kMinute - 1;
    counts.logDueSummaries();
    EXPECT_EQ(log.count(Poco::Message::PRIO_WARNING, "more"), 1);
    clock.now += 1;
    counts.logDueSummaries();
    counts.logDueSummaries();
    EXPECT_EQ(
        log.count(Poco::Message::PRIO_WARNING, "dropped 5 more (bad_frame, 47 in all); the last: burst"), 1);
    EXPECT_EQ(log.count(Poco::Message::PRIO_WARNING, "dropped"), 3);
}

TEST(DropCounts, AtStopEverythingNotLoggedYetIsLogged) {
    RecordingLog log("driver.stopping");
    ManualClock clock;
    DropCounts counts("driver.stopping", kMinute, clock.function());
    counts.add("late_sample", 1, "");
    counts.add("late_sample", 2, "");
    counts.add("non_finite_value", 1, "");
    counts.logAllSummaries();
    counts.logAllSummaries();
    EXPECT_EQ(log.find(Poco::Message::PRIO_WARNING, "dropped"),
              (std::vector<std::string>{"dropped 1 (late_sample)", "dropped 1 (non_finite_value)",
                                        "dropped 2 more (late_sample, 3 in all)"}));
}

TEST(DropCounts, ALongDetailIsCutInTheLog) {
    RecordingLog log("driver.long");
    DropCounts counts("driver.long");
    counts.add("bad_frame", 1, std::string(100000, 'x'));
    const auto lines = log.find(Poco::Message::PRIO_WARNING, "dropped 1 (bad_frame)");
    ASSERT_EQ(lines.size(), 1u);
    EXPECT_LT(lines[0].size(), 400u);
    EXPECT_EQ(lines[0].substr(lines[0].size() - 3), "...");
}

TEST(DropCounts, CountsFromManyThreadsAddUp) {
    DropCounts counts("driver.threads");
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&counts, t] {
            for (int i = 0; i < 5000; ++i) {
                counts.add("shared", 1, "");
                counts.add("reason_" + std::to_string(t * 10 + i % 10), 1, "");
            }
        });
    }
    for (auto& thread : threads)
        thread.join();
    const auto byReason = counts.byReason();
    EXPECT_EQ(byReason.at("shared"), 20000u);
    std::uint64_t total = 0;
    for (const auto& [reason, count] : byReason)
        total += count;
    EXPECT_EQ(total, 40000u);
    EXPECT_EQ(byReason.size(), DropCounts::kMostReasons + 1);  // 40 more reasons than fit, and "other"
}

}  // namespace
}  // namespace citysense
