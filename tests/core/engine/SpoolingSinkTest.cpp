// A sink runner with a spool, against a sink that fails for a while: outages lose nothing and keep
// the order, a bound too small for the outage drops exactly the oldest, a stop keeps what is left,
// and the next runner on the same directory delivers it first. Tests wait for conditions, never for
// fixed times.
#include "RecordingLog.h"
#include "ServiceProcess.h"
#include "SpoolTesting.h"

#include <engine/SinkRunner.h>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <future>
#include <mutex>
#include <thread>

namespace citysense {
namespace {

using test::eventually;
using test::range;
using test::sequence;

constexpr Micros kMillisecond = 1000;

/// A sink that records what it receives, and throws while `down`.
class OutageSink : public Sink {
public:
    std::atomic<bool> down{false};
    std::atomic<int> slowMillis{0};
    std::shared_future<void> firstWrite;  ///< when valid, the first write waits for it

    const OptionTable& options() const override {
        static const OptionTable none;
        return none;
    }
    void configure(const Options&) override {}
    void write(const SampleBatch& batch) override {
        if (firstWrite.valid() && _writes++ == 0)
            firstWrite.wait();
        if (down)
            throw std::runtime_error("broker unreachable");
        if (slowMillis > 0)
            std::this_thread::sleep_for(std::chrono::milliseconds(slowMillis.load()));
        std::lock_guard<std::mutex> lock(_mutex);
        for (const auto& sample : batch)
            _values.push_back(sample.value);
    }
    std::vector<double> values() {
        std::lock_guard<std::mutex> lock(_mutex);
        return _values;
    }
    std::size_t received() {
        std::lock_guard<std::mutex> lock(_mutex);
        return _values.size();
    }

private:
    std::mutex _mutex;
    std::vector<double> _values;
    int _writes = 0;
};

class SpoolingSinkTest : public test::ScratchTest {
protected:
    std::string spoolDirectory() const { return path("spool/sink.out"); }

    /// A runner of a fresh OutageSink named sink.out, spooling under spoolDirectory().
    std::unique_ptr<SinkRunner> makeRunner(std::uint64_t bound = 1024 * 1024, std::size_t batchSize = 100,
                                           std::size_t queueLimit = 100000) {
        auto sink = std::make_unique<OutageSink>();
        sink->attach({"sink.out", test::kSpoolStation, Source::intern(test::kSpoolStation, "sink.out")});
        this->sink = sink.get();
        return std::make_unique<SinkRunner>(std::move(sink), "outage", queueLimit, batchSize,
                                            Backoff(kMillisecond, 4 * kMillisecond),
                                            SpoolSettings{spoolDirectory(), bound});
    }

    /// What the spool directory holds, read by a spool of its own.
    std::vector<double> spooled() {
        Spool spool(spoolDirectory(), 1024 * 1024, Poco::Logger::get("sink.out"),
                    [](std::uint64_t, SpoolLoss) {});
        return test::valuesOf(spool.peek(1000000));
    }

    test::RecordingLog log{"sink.out"};
    OutageSink* sink = nullptr;
};

TEST_F(SpoolingSinkTest, AnOutageLosesNothingAndKeepsTheOrder) {
    auto runner = makeRunner();
    sink->down = true;
    runner->start();
    for (int i = 0; i < 100; ++i)
        runner->enqueue(sequence(i * 10, 10));
    // During the outage the samples move to disk and the memory queue empties.
    ASSERT_TRUE(eventually([&] {
        const auto status = runner->status();
        return status.queued == 0 && status.spoolPending == 1000;
    }));
    EXPECT_EQ(runner->status().state, InstanceState::Failing);
    EXPECT_FALSE(test::ScratchTest::segments(spoolDirectory()).empty());
    sink->down = false;
    ASSERT_TRUE(eventually([&] { return sink->received() == 1000; }));
    for (int i = 100; i < 150; ++i)
        runner->enqueue(sequence(i * 10, 10));
    ASSERT_TRUE(eventually([&] { return sink->received() == 1500; }));
    runner->stop(kMicrosPerSecond);
    EXPECT_EQ(sink->values(), range(0, 1500));
    const auto status = runner->status();
    EXPECT_EQ(status.delivered, 1500u);
    EXPECT_EQ(status.dropped, 0u);
    EXPECT_EQ(status.spooled, 1000u);
    EXPECT_EQ(status.spoolPending, 0u);
    EXPECT_TRUE(test::ScratchTest::segments(spoolDirectory()).empty()) << "delivered segments are deleted";
}

TEST_F(SpoolingSinkTest, QueuedDriverBatchesGoToTheSpoolAsFewLargeRecords) {
    std::promise<void> release;
    auto runner = makeRunner();
    sink->down = true;
    sink->firstWrite = release.get_future().share();
    runner->start();
    runner->enqueue(sequence(0, 2));
    ASSERT_TRUE(eventually([&] { return runner->status().queued == 0; }));  // being written
    for (int i = 2; i < 1000; i += 2)
        runner->enqueue(sequence(i, 2));
    release.set_value();
    ASSERT_TRUE(eventually([&] { return runner->status().spooled == 1000; }));
    // One record per driver batch would repeat the source with every 2 samples: over 60 bytes each.
    EXPECT_LT(test::ScratchTest::segmentBytes(spoolDirectory()), 25u * 1000);
    runner->stop(0);
    EXPECT_EQ(spooled(), range(0, 1000));
}

TEST_F(SpoolingSinkTest, ABoundTooSmallForTheOutageDropsExactlyTheOldestAndCountsThem) {
    auto runner = makeRunner(8 * 1024);
    sink->down = true;
    runner->start();
    constexpr int kTotal = 5000;
    for (int i = 0; i < kTotal; i += 10)
        runner->enqueue(sequence(i, 10));
    ASSERT_TRUE(eventually([&] {
        const auto status = runner->status();
        return status.queued == 0 && status.spooled == kTotal;
    }));
    sink->down = false;
    ASSERT_TRUE(eventually([&] { return runner->status().spoolPending == 0; }));
    runner->stop(kMicrosPerSecond);
    const auto status = runner->status();
    ASSERT_GT(status.dropped, 0u);
    EXPECT_EQ(status.delivered + status.dropped, std::uint64_t{kTotal});
    const int missing = static_cast<int>(status.dropped);
    EXPECT_EQ(sink->values(), range(missing, kTotal - missing)) << "the missing ones are the oldest";
    EXPECT_GE(log.count(Poco::Message::PRIO_WARNING, "samples (spool full)"), 1);
}

TEST_F(SpoolingSinkTest, StoppingWhileTheSinkFailsKeepsEverythingInTheSpool) {
    auto runner = makeRunner();
    sink->down = true;
    runner->start();
    runner->enqueue(sequence(0, 250));
    ASSERT_TRUE(eventually([&] { return runner->status().failures >= 1; }));
    runner->enqueue(sequence(250, 50));
    runner->stop(10 * kMillisecond);
    const auto status = runner->status();
    EXPECT_EQ(status.delivered, 0u);
    EXPECT_EQ(status.dropped, 0u);
    EXPECT_EQ(status.queued, 0u);
    EXPECT_EQ(status.spoolPending, 300u);
    EXPECT_EQ(log.count(Poco::Message::PRIO_NOTICE, "stopping with 300 samples in the spool"), 1);
    EXPECT_EQ(spooled(), range(0, 300));
}

TEST_F(SpoolingSinkTest, ASlowSinkAtTheDeadlineKeepsTheRestInTheSpool) {
    auto runner = makeRunner(1024 * 1024, 1);
    sink->slowMillis = 5;
    runner->start();
    for (int i = 0; i < 400; ++i)
        runner->enqueue(sequence(i, 1));
    runner->stop(20 * kMillisecond);
    const auto status = runner->status();
    EXPECT_EQ(status.dropped, 0u);
    EXPECT_EQ(status.delivered + status.spoolPending, 400u);
    const int delivered = static_cast<int>(status.delivered);
    EXPECT_EQ(sink->values(), range(0, delivered));
    EXPECT_EQ(spooled(), range(delivered, 400 - delivered));
}

TEST_F(SpoolingSinkTest, TheNextRunnerDeliversTheSpoolBeforeAnythingNew) {
    {
        auto first = makeRunner();
        sink->down = true;
        first->start();
        first->enqueue(sequence(0, 120));
        ASSERT_TRUE(eventually([&] { return first->status().spoolPending == 120; }));
        first->enqueue(sequence(120, 30));
        first->stop(0);
    }
    auto second = makeRunner();
    second->enqueue(sequence(150, 20));  // handed over, or new: either way after the spool
    second->start();
    second->enqueue(sequence(170, 30));
    ASSERT_TRUE(eventually([&] { return sink->received() == 200; }));
    second->stop(kMicrosPerSecond);
    EXPECT_EQ(sink->values(), range(0, 200));
    EXPECT_EQ(second->status().dropped, 0u);
    EXPECT_EQ(log.count(Poco::Message::PRIO_INFORMATION, "holds 150 samples to deliver first"), 1);
}

TEST_F(SpoolingSinkTest, WhatArrivesWhileTheSpoolIsReplayedWaitsOnDiskRatherThanBeDropped) {
    {
        auto first = makeRunner();
        sink->down = true;
        first->start();
        first->enqueue(sequence(0, 200));
        first->stop(0);
    }
    std::promise<void> release;
    auto second = makeRunner(1024 * 1024, 10, 40);
    sink->firstWrite = release.get_future().share();
    second->start();
    ASSERT_TRUE(eventually([&] { return second->status().spoolPending == 200; }));
    second->enqueue(sequence(200, 30));  // while the first replayed write blocks: over half the queue
    release.set_value();
    ASSERT_TRUE(eventually([&] { return second->status().spooled == 30; }));
    second->enqueue(sequence(230, 30));
    ASSERT_TRUE(eventually([&] { return sink->received() == 260; }));
    second->stop(kMicrosPerSecond);
    EXPECT_EQ(sink->values(), range(0, 260));
    EXPECT_EQ(second->status().dropped, 0u);
}

TEST_F(SpoolingSinkTest, OnReloadTheSpoolIsReleasedForTheRunnerThatReplacesIt) {
    auto old = makeRunner();
    sink->down = true;
    old->start();
    old->enqueue(sequence(0, 100));
    ASSERT_TRUE(eventually([&] { return old->status().spoolPending == 100; }));
    old->enqueue(sequence(100, 10));
    auto backlog = old->stopAndTakeQueue();
    EXPECT_EQ(old->status().dropped, 0u);
    EXPECT_EQ(
        log.count(Poco::Message::PRIO_INFORMATION,
                  "handing over " + std::to_string(old->status().spoolPending) + " samples in the spool " +
                      spoolDirectory() + " to the sink that replaces this one"),
        1);
    auto replacement = makeRunner();
    for (auto& batch : backlog)
        replacement->enqueue(std::move(batch));
    replacement->start();
    ASSERT_TRUE(eventually([&] { return sink->received() == 110; }));
    replacement->stop(kMicrosPerSecond);
    EXPECT_EQ(sink->values(), range(0, 110));
    EXPECT_EQ(log.count(Poco::Message::PRIO_ERROR, ""), 0);
}

TEST_F(SpoolingSinkTest, ASpoolThatCannotBeCreatedFallsBackToMemory) {
    std::ofstream(path("spool")) << "a file where the spool directory should be";
    auto runner = makeRunner();
    sink->down = true;
    runner->start();
    runner->enqueue(sequence(0, 50));
    ASSERT_TRUE(eventually([&] { return runner->status().failures >= 2; }));
    EXPECT_EQ(log.count(Poco::Message::PRIO_ERROR,
                        "the spool is unavailable: cannot create spool " + spoolDirectory()),
              1);
    EXPECT_NE(runner->status().message.find("the spool is unavailable: samples wait in memory"),
              std::string::npos)
        << runner->status().message;
    EXPECT_EQ(runner->status().spooled, 0u);
    sink->down = false;
    ASSERT_TRUE(eventually([&] { return sink->received() == 50; }));
    runner->stop(kMicrosPerSecond);
    EXPECT_EQ(sink->values(), range(0, 50));
}

TEST_F(SpoolingSinkTest, ASpoolInUseElsewhereIsNotShared) {
    std::filesystem::create_directories(spoolDirectory());
    Spool other(spoolDirectory(), 4096, Poco::Logger::get("sink.other"), [](std::uint64_t, SpoolLoss) {});
    auto runner = makeRunner();
    sink->down = true;
    runner->start();
    runner->enqueue(sequence(0, 20));
    ASSERT_TRUE(eventually([&] { return runner->status().failures >= 1; }));
    runner->stop(10 * kMillisecond);
    EXPECT_EQ(
        log.count(Poco::Message::PRIO_ERROR, "spool " + spoolDirectory() + " is in use by another process"),
        1);
    EXPECT_EQ(runner->status().dropped, 20u) << "without a spool, as before: counted at shutdown";
    EXPECT_EQ(other.pending(), 0u);
}

}  // namespace
}  // namespace citysense
