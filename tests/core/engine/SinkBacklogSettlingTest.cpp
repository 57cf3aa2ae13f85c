// How far a sink backlog has settled what it was pushed, the count drivers' journals trim by: it
// counts samples delivered, spooled or dropped from the first on, and never runs ahead of a sample
// still in memory, being written, put back after a failure, or handed over.
#include "SpoolTesting.h"

#include <engine/SinkBacklog.h>

#include <Poco/Logger.h>

#include <gtest/gtest.h>

namespace citysense {
namespace {

using test::sequence;

class SinkBacklogSettlingTest : public test::ScratchTest {
protected:
    Poco::Logger& logger() { return Poco::Logger::get("sink.settling"); }
};

TEST_F(SinkBacklogSettlingTest, DeliveredSamplesAreSettledInOrder) {
    SinkBacklog backlog(100, {}, logger());
    backlog.push(sequence(0, 10));
    backlog.push(sequence(10, 10));
    EXPECT_EQ(backlog.pushed(), 20u);
    EXPECT_EQ(backlog.settled(), 0u);
    const SampleBatch batch = backlog.takeOldest(15, 0);
    EXPECT_EQ(backlog.settled(), 0u) << "being written";
    backlog.delivered(batch);
    EXPECT_EQ(backlog.settled(), 15u);
    backlog.delivered(backlog.takeOldest(15, 0));
    EXPECT_EQ(backlog.settled(), 20u);
}

TEST_F(SinkBacklogSettlingTest, DropsBehindABatchBeingWrittenDoNotSettleIt) {
    SinkBacklog backlog(10, {}, logger());
    backlog.push(sequence(0, 10));
    const SampleBatch batch = backlog.takeOldest(4, 0);
    backlog.push(sequence(10, 8));  // the queue holds 6: 4 of them make room
    EXPECT_EQ(backlog.settled(), 0u);
    backlog.delivered(batch);
    EXPECT_EQ(backlog.settled(), 8u) << "0-3 delivered, 4-7 dropped";
    backlog.delivered(backlog.takeOldest(100, 0));
    EXPECT_EQ(backlog.settled(), 18u);
}

TEST_F(SinkBacklogSettlingTest, ABatchPutBackWithoutASpoolIsNotSettled) {
    SinkBacklog backlog(100, {}, logger());
    backlog.push(sequence(0, 10));
    SampleBatch batch = backlog.takeOldest(5, 0);
    backlog.beginHandOver();
    EXPECT_EQ(backlog.failed(batch, 0), SinkBacklog::AfterFailure::Stop);
    EXPECT_EQ(backlog.settled(), 0u);
    EXPECT_EQ(backlog.takeQueue().size(), 2u);
    EXPECT_EQ(backlog.settled(), 0u) << "handed over to the runner that replaces this one";
}

TEST_F(SinkBacklogSettlingTest, SpooledSamplesAreSettled) {
    SinkBacklog backlog(100, {path("spool/sink.settling"), 1024 * 1024}, logger());
    backlog.push(sequence(0, 10));
    SampleBatch batch = backlog.takeOldest(5, 0);
    backlog.push(sequence(10, 5));
    EXPECT_EQ(backlog.failed(batch, 0), SinkBacklog::AfterFailure::TakeOldest);
    EXPECT_EQ(backlog.settled(), 15u);
    const SampleBatch replayed = backlog.takeOldest(100, 0);
    backlog.delivered(replayed);
    EXPECT_EQ(backlog.settled(), 15u) << "delivering from the spool settles nothing again";
    backlog.push(sequence(15, 5));
    EXPECT_EQ(backlog.settled(), 15u);
}

}  // namespace
}  // namespace citysense
