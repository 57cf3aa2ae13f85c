// A driver's journal with real sink backlogs behind it (the test thread delivers for them): what no
// sink settled is there after a SIGKILL (and what was settled may be: at least once), a batch leaves the
// journal only once every sink it went to settled it (delivered or spooled), settled samples leave at
// every trim without being read back, whole segments at a time on the disk, and an engine replays a
// journal an earlier run left before its drivers start, reporting what the journal holds in the
// driver's status.
#include "PluginHarness.h"
#include "SpoolTesting.h"

#include <engine/DriverJournal.h>
#include <engine/Engine.h>
#include <engine/Plan.h>

#include <Poco/Logger.h>

#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>
#include <csignal>
#include <fstream>

namespace citysense {
namespace {

using test::range;
using test::sequence;
using test::valuesOf;

class DriverJournalTest : public test::ScratchTest {
protected:
    Poco::Logger& logger() { return Poco::Logger::get("driver.seq"); }
    std::string journalDirectory() const { return path("spool/driver.seq"); }

    /// What emitDurably() does: journal, push to every sink, note the marks.
    static void emitDurably(DriverJournal& journal, const SampleBatch& batch,
                            const std::vector<SinkBacklog*>& sinks) {
        ASSERT_EQ(journal.write(batch), batch.size());
        for (SinkBacklog* sink : sinks)
            sink->push(SampleBatch(batch));
        journal.handedOver(batch.size());
    }

    /// Delivers the oldest `most` samples of `sink`.
    static void deliver(SinkBacklog& sink, std::size_t most) {
        const SampleBatch batch = sink.takeOldest(most, 0);
        ASSERT_FALSE(batch.empty());
        sink.delivered(batch);
    }

    /// The samples a journal left in the directory holds, as the next run finds them.
    std::vector<double> leftOver() {
        DriverJournal journal(journalDirectory(), {}, logger());
        EXPECT_TRUE(journal.open());
        return valuesOf(journal.leftOver());
    }
};

TEST_F(DriverJournalTest, WhatNoSinkSettledIsThereAfterASigkill) {
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        // The host: 30 samples emitted durably, the first 10 delivered, then killed.
        SinkBacklog sink(1000, {}, logger());
        DriverJournal journal(journalDirectory(), {&sink}, logger());
        if (!journal.open())
            ::_exit(2);
        for (int first = 0; first < 30; first += 10) {
            journal.write(sequence(first, 10));
            sink.push(sequence(first, 10));
            journal.handedOver(10);
        }
        sink.delivered(sink.takeOldest(10, 0));
        journal.trim();
        ::kill(::getpid(), SIGKILL);
        ::_exit(3);
    }
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << status;
    // The journal is replayed from the start of its oldest segment: all 30 here, the 20 unsettled last.
    const std::vector<double> left = leftOver();
    ASSERT_GE(left.size(), 20u);
    EXPECT_EQ(std::vector<double>(left.end() - 20, left.end()), range(10, 20));
}

TEST_F(DriverJournalTest, ABatchLeavesOnlyOnceEverySinkItWentToSettledIt) {
    SinkBacklog first(100000, {}, logger());
    SinkBacklog second(100000, {}, logger());
    {
        DriverJournal journal(journalDirectory(), {&first, &second}, logger());
        ASSERT_TRUE(journal.open());
        emitDurably(journal, sequence(0, 600), {&first, &second});
        emitDurably(journal, sequence(600, 600), {&first, &second});
        journal.trim();
        EXPECT_EQ(journal.pending(), 1200u) << "nothing settled yet";
        deliver(first, 1200);
        journal.trim();
        EXPECT_EQ(journal.pending(), 1200u) << "the second sink still has it all";
        deliver(second, 600);
        journal.trim();
        EXPECT_EQ(journal.pending(), 600u) << "the first batch settled by both";
        deliver(second, 600);
        journal.trim();
        EXPECT_EQ(journal.pending(), 0u);
        emitDurably(journal, sequence(1200, 5), {&first, &second});
        deliver(first, 5);
        deliver(second, 5);
    }
    EXPECT_TRUE(leftOver().empty()) << "closing trims whatever is settled";
}

TEST_F(DriverJournalTest, SamplesSettledAFewAtATimeLeaveAtEveryTrimAndAreCountedOnce) {
    SinkBacklog sink(100000, {}, logger());
    DriverJournal journal(journalDirectory(), {&sink}, logger());
    ASSERT_TRUE(journal.open());
    // As an ingest runs: a sample a message, the sink delivering seven at a time, a trim after each.
    for (int i = 0; i < 2500; ++i) {
        emitDurably(journal, sequence(i, 1), {&sink});
        if (i % 7 == 6)
            deliver(sink, 7);
        journal.trim();
        ASSERT_EQ(journal.pending(), static_cast<std::uint64_t>(i + 1 - (i + 1) / 7 * 7)) << i;
    }
    EXPECT_EQ(journal.pending(), 1u) << "all but the last, which the sink still has";
}

TEST_F(DriverJournalTest, ATrimAcrossSegmentsDeletesTheSettledOnesAndAKillReplaysTheRest) {
    // Single samples of about a hundred bytes: a segment (an eighth of the bound) holds ten thousand.
    constexpr int kWritten = 30000;
    constexpr int kSettled = 25000;
    std::size_t segmentsWritten = 0;
    {
        SinkBacklog sink(100000, {}, logger());
        DriverJournal journal(journalDirectory(), {&sink}, logger());
        ASSERT_TRUE(journal.open());
        for (int i = 0; i < kWritten; ++i)
            emitDurably(journal, sequence(i, 1), {&sink});
        segmentsWritten = segments(journalDirectory()).size();
        ASSERT_GE(segmentsWritten, 3u);
    }
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        // The next run: replays what the first left, the sink settles all but the last 5,000, killed.
        SinkBacklog sink(100000, {}, logger());
        DriverJournal journal(journalDirectory(), {&sink}, logger());
        if (!journal.open())
            ::_exit(2);
        const SampleBatch left = journal.leftOver();
        if (left.size() != std::size_t{kWritten})
            ::_exit(3);
        for (std::size_t first = 0; first < left.size(); first += 1000) {
            sink.push(SampleBatch(left.begin() + static_cast<std::ptrdiff_t>(first),
                                  left.begin() + static_cast<std::ptrdiff_t>(first + 1000)));
            journal.handedOver(1000);
        }
        sink.delivered(sink.takeOldest(kSettled, 0));
        journal.trim();
        if (journal.pending() != std::uint64_t{kWritten - kSettled})
            ::_exit(4);
        ::kill(::getpid(), SIGKILL);
        ::_exit(5);
    }
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << status;
    EXPECT_LT(segments(journalDirectory()).size(), segmentsWritten) << "the settled segments are deleted";
    // Replayed from the start of the oldest segment left: the unsettled ones, and no more of the settled
    // ones than a segment holds.
    const std::vector<double> left = leftOver();
    ASSERT_GE(left.size(), std::size_t{kWritten - kSettled});
    EXPECT_LT(left.size(), std::size_t{kWritten - kSettled} + 12000);
    const int first = kWritten - static_cast<int>(left.size());
    EXPECT_EQ(left, range(first, kWritten - first));
}

TEST_F(DriverJournalTest, ABatchInTheSinksSpoolIsSettled) {
    SinkBacklog sink(100000, {path("spool/sink.out"), 1024 * 1024}, logger());
    {
        DriverJournal journal(journalDirectory(), {&sink}, logger());
        ASSERT_TRUE(journal.open());
        emitDurably(journal, sequence(0, 10), {&sink});
        emitDurably(journal, sequence(10, 10), {&sink});
        SampleBatch batch = sink.takeOldest(5, 0);
        EXPECT_EQ(sink.failed(batch, 0), SinkBacklog::AfterFailure::TakeOldest);
        journal.trim();
        EXPECT_EQ(journal.pending(), 0u) << "the failed batch and the queue behind it are in the spool";
    }
    EXPECT_TRUE(leftOver().empty());
}

TEST_F(DriverJournalTest, WhatASinkHandsOverOnAReloadStaysInTheJournal) {
    SinkBacklog sink(100000, {}, logger());
    {
        DriverJournal journal(journalDirectory(), {&sink}, logger());
        ASSERT_TRUE(journal.open());
        emitDurably(journal, sequence(0, 10), {&sink});
        sink.beginHandOver();
        EXPECT_EQ(sink.takeQueue().size(), 1u);
    }
    EXPECT_EQ(leftOver(), range(0, 10)) << "replayed by the runner that replaces this one";
}

TEST_F(DriverJournalTest, AnEngineReplaysTheJournalBeforeItsDriversStart) {
    {
        DriverJournal journal(journalDirectory(), {}, logger());
        ASSERT_TRUE(journal.open());
        journal.write(sequence(0, 25));
    }
    const std::string output = path("out.jsonl");
    const std::string config = path("station.ini");
    std::ofstream(config) << "[host]\nsystem = hypo_city\ncity = city_01\nstreet = street_01\n"
                             "http_listen = off\nspool_dir = "
                          << path("spool")
                          // A source that emits nothing: its broker is unreachable.
                          << "\n[driver.seq]\nplugin = mqtt_source\nuri = tcp://127.0.0.1:1\n"
                             "[sink.out]\nplugin = console\nformat = json\noutput = "
                          << output << "\n[pipeline.main]\ndrivers = seq\nsinks = out\n";
    std::vector<ConfigIssue> issues;
    const Plan plan = makePlan(readConfigFile(config), test::builtPlugins(), issues);
    ASSERT_TRUE(issues.empty());
    {
        Engine engine(plan, test::builtPlugins(), issues);
        ASSERT_TRUE(issues.empty());
        engine.start();
        for (const InstanceStatus& status : engine.status()) {
            if (status.name == "driver.seq") {
                EXPECT_EQ(status.journalPending, 25u) << "replayed, and trimmed only at the next emit";
            }
        }
        engine.stop();
    }
    std::ifstream in(output);
    std::size_t lines = 0;
    for (std::string line; std::getline(in, line);)
        ++lines;
    EXPECT_EQ(lines, 25u) << "the journal's samples";
    EXPECT_TRUE(leftOver().empty()) << "delivered, so trimmed at the stop";
}

}  // namespace
}  // namespace citysense
