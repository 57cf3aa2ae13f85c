// The backlog's ordering rules on their own, with a real spool in a scratch directory and the test
// thread as the delivering thread: oldest first, the spool before memory, a failed batch ahead of
// what is queued, nothing moved on a hand-over, memory kept in the spool at the drain deadline.
#include "SpoolTesting.h"

#include <engine/SinkBacklog.h>

#include <Poco/Logger.h>

#include <gtest/gtest.h>

namespace citysense {
namespace {

using test::range;
using test::sequence;
using test::valuesOf;

constexpr Micros kHour = 3600 * kMicrosPerSecond;

class SinkBacklogTest : public test::ScratchTest {
protected:
    Poco::Logger& logger() { return Poco::Logger::get("sink.backlog"); }
    std::string spoolDirectory() const { return path("spool/sink.backlog"); }
    SpoolSettings spoolSettings() const { return {spoolDirectory(), 1024 * 1024}; }

    /// Leaves the samples in the spool, as an earlier run would.
    void leaveInSpool(const SampleBatch& batch) {
        Spool spool(spoolDirectory(), 1024 * 1024, logger(), [](std::uint64_t, SpoolLoss) {});
        spool.append(batch);
    }

    std::vector<double> spooled() {
        Spool spool(spoolDirectory(), 1024 * 1024, logger(), [](std::uint64_t, SpoolLoss) {});
        return valuesOf(spool.peek(1000000));
    }

    static InstanceStatus statusOf(const SinkBacklog& backlog) {
        InstanceStatus status;
        backlog.report(status);
        return status;
    }
};

TEST_F(SinkBacklogTest, MemoryGivesTheOldestFirstInBatchesOfAtMostTheSizeAsked) {
    SinkBacklog backlog(100, {}, logger());
    backlog.push(sequence(0, 5));
    backlog.push(sequence(5, 5));
    EXPECT_EQ(valuesOf(backlog.takeOldest(7, 0)), range(0, 7));
    EXPECT_EQ(statusOf(backlog).queued, 3u);
    EXPECT_EQ(valuesOf(backlog.takeOldest(7, 0)), range(7, 3));
}

TEST_F(SinkBacklogTest, AFullMemoryQueueDropsTheOldestAndCountsThem) {
    SinkBacklog backlog(10, {}, logger());
    backlog.push(sequence(0, 8));
    backlog.push(sequence(8, 6));
    const auto status = statusOf(backlog);
    EXPECT_EQ(status.dropped, 4u);
    EXPECT_EQ(status.queued, 10u);
    EXPECT_EQ(valuesOf(backlog.takeOldest(100, 0)), range(4, 10));
}

TEST_F(SinkBacklogTest, AFailedBatchGoesToTheSpoolAheadOfWhatIsQueuedAndIsTakenBeforeAnythingNewer) {
    SinkBacklog backlog(100, spoolSettings(), logger());
    backlog.push(sequence(0, 10));
    SampleBatch batch = backlog.takeOldest(5, 0);
    ASSERT_EQ(valuesOf(batch), range(0, 5));
    backlog.push(sequence(10, 5));
    EXPECT_EQ(backlog.failed(batch, 0), SinkBacklog::AfterFailure::TakeOldest);
    auto status = statusOf(backlog);
    EXPECT_EQ(status.queued, 0u) << "what was queued is spilled after the failed batch";
    EXPECT_EQ(status.spooled, 15u);
    EXPECT_EQ(status.spoolPending, 15u);
    backlog.push(sequence(15, 5));
    batch = backlog.takeOldest(100, 0);
    EXPECT_EQ(valuesOf(batch), range(0, 15));
    backlog.delivered(batch);
    EXPECT_EQ(statusOf(backlog).spoolPending, 0u);
    EXPECT_EQ(valuesOf(backlog.takeOldest(100, 0)), range(15, 5));
}

TEST_F(SinkBacklogTest, ASpoolLeftByAnEarlierRunIsTakenBeforeMemory) {
    leaveInSpool(sequence(0, 10));
    SinkBacklog backlog(100, spoolSettings(), logger());
    backlog.push(sequence(10, 5));
    backlog.openExistingSpool();
    EXPECT_EQ(statusOf(backlog).spoolPending, 10u);
    SampleBatch batch = backlog.takeOldest(100, 0);
    EXPECT_EQ(valuesOf(batch), range(0, 10));
    backlog.delivered(batch);
    EXPECT_EQ(valuesOf(backlog.takeOldest(100, 0)), range(10, 5));
}

TEST_F(SinkBacklogTest, MemoryHalfFullWhileTheSpoolIsReplayedIsSpilledBehindIt) {
    leaveInSpool(sequence(0, 10));
    SinkBacklog backlog(4, spoolSettings(), logger());
    backlog.openExistingSpool();
    SampleBatch batch = backlog.takeOldest(5, 0);
    ASSERT_EQ(valuesOf(batch), range(0, 5));
    backlog.push(sequence(10, 2));
    backlog.delivered(batch);
    const auto status = statusOf(backlog);
    EXPECT_EQ(status.queued, 0u);
    EXPECT_EQ(status.spoolPending, 7u);
    EXPECT_EQ(valuesOf(backlog.takeOldest(100, 0)), range(5, 7));
}

TEST_F(SinkBacklogTest, HandingOverMovesNothing) {
    leaveInSpool(sequence(0, 10));
    SinkBacklog backlog(100, spoolSettings(), logger());
    backlog.openExistingSpool();
    backlog.push(sequence(10, 5));
    backlog.beginHandOver();
    EXPECT_TRUE(backlog.takeOldest(100, 0).empty());
    std::vector<double> handedOver;
    for (const auto& queued : backlog.takeQueue()) {
        for (double value : valuesOf(queued))
            handedOver.push_back(value);
    }
    EXPECT_EQ(handedOver, range(10, 5));
    EXPECT_EQ(statusOf(backlog).queued, 0u);
    backlog.closeSpool();
    EXPECT_EQ(spooled(), range(0, 10)) << "the spool stays on disk for the replacing runner";
}

TEST_F(SinkBacklogTest, DrainingGivesWhatIsLeftAndThenStops) {
    SinkBacklog backlog(100, spoolSettings(), logger());
    backlog.push(sequence(0, 5));
    backlog.beginDrain(nowMicros() + kHour);
    EXPECT_EQ(valuesOf(backlog.takeOldest(100, 0)), range(0, 5));
    EXPECT_TRUE(backlog.takeOldest(100, 0).empty());
}

TEST_F(SinkBacklogTest, AtTheDrainDeadlineMemoryGoesToTheSpool) {
    SinkBacklog backlog(100, spoolSettings(), logger());
    backlog.push(sequence(0, 10));
    backlog.beginDrain(nowMicros());
    EXPECT_TRUE(backlog.takeOldest(100, 0).empty());
    const auto status = statusOf(backlog);
    EXPECT_EQ(status.queued, 0u);
    EXPECT_EQ(status.dropped, 0u);
    EXPECT_EQ(status.spoolPending, 10u);
    backlog.closeSpool();
    EXPECT_EQ(spooled(), range(0, 10));
}

TEST_F(SinkBacklogTest, WithoutASpoolAFailedBatchIsRetriedAndCountedAsDroppedAtTheDeadline) {
    SinkBacklog backlog(100, {}, logger());
    backlog.push(sequence(0, 10));
    SampleBatch batch = backlog.takeOldest(5, 0);
    EXPECT_EQ(backlog.failed(batch, 0), SinkBacklog::AfterFailure::RetrySame);
    EXPECT_EQ(valuesOf(batch), range(0, 5));
    backlog.beginDrain(nowMicros());
    EXPECT_EQ(backlog.failed(batch, kHour), SinkBacklog::AfterFailure::Stop);
    const auto status = statusOf(backlog);
    EXPECT_EQ(status.dropped, 10u);
    EXPECT_EQ(status.queued, 0u);
}

}  // namespace
}  // namespace citysense
