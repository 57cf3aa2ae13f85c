// Samples a sink can never write: found while the samples around them are delivered in order, set
// aside in the dead-letter file (or dropped without a spool), counted and logged with the reason;
// and a sink that is merely down sets nothing aside. Tests wait for conditions, never for fixed times.
#include "RecordingLog.h"
#include "ServiceProcess.h"
#include "SpoolTesting.h"

#include <engine/SinkRunner.h>

#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <mutex>
#include <set>

namespace citysense {
namespace {

using test::eventually;
using test::range;
using test::sequence;

constexpr Micros kMillisecond = 1000;

/// A sink that refuses every batch holding one of the `poison` values (with PermanentWriteError when
/// `permanent`), and every batch while `down`.
class RefusingSink : public Sink {
public:
    std::set<double> poison;
    bool permanent = false;
    std::atomic<bool> down{false};

    const OptionTable& options() const override {
        static const OptionTable none;
        return none;
    }
    void configure(const Options&) override {}
    void write(const SampleBatch& batch) override {
        if (down)
            throw std::runtime_error("database unreachable");
        for (const auto& sample : batch) {
            if (!poison.count(sample.value))
                continue;
            const std::string why = "value " + std::to_string(int(sample.value)) + " breaks a constraint";
            if (permanent)
                throw PermanentWriteError(why);
            throw std::runtime_error(why);
        }
        std::lock_guard<std::mutex> lock(_mutex);
        for (const auto& sample : batch)
            _values.push_back(sample.value);
    }
    std::vector<double> values() {
        std::lock_guard<std::mutex> lock(_mutex);
        return _values;
    }
    /// What was received, each value once, in the order of its first arrival.
    std::vector<double> firstArrivals() {
        std::set<double> seen;
        std::vector<double> first;
        for (double value : values()) {
            if (seen.insert(value).second)
                first.push_back(value);
        }
        return first;
    }

private:
    std::mutex _mutex;
    std::vector<double> _values;
};

class PoisonTest : public test::ScratchTest {
protected:
    std::string spoolDirectory() const { return path("spool/sink.db"); }
    std::string deadLetters() const { return spoolDirectory() + "/dead-letters"; }

    std::unique_ptr<SinkRunner> makeRunner(bool withSpool = true,
                                           std::uint64_t deadLetterBound = 1024 * 1024) {
        auto sink = std::make_unique<RefusingSink>();
        sink->attach({"sink.db", test::kSpoolStation, Source::intern(test::kSpoolStation, "sink.db")});
        this->sink = sink.get();
        SpoolSettings spool;
        if (withSpool)
            spool = {spoolDirectory(), 1024 * 1024, deadLetterBound};
        return std::make_unique<SinkRunner>(std::move(sink), "refusing", 100000, 10,
                                            Backoff(kMillisecond, 2 * kMillisecond), spool, 3);
    }

    static std::vector<double> without(std::vector<double> values, std::set<double> left) {
        values.erase(
            std::remove_if(values.begin(), values.end(), [&](double value) { return left.count(value); }),
            values.end());
        return values;
    }

    std::string deadLetterText() const {
        std::ifstream in(deadLetters());
        return std::string(std::istreambuf_iterator<char>(in), {});
    }

    test::RecordingLog log{"sink.db"};
    RefusingSink* sink = nullptr;
};

TEST_F(PoisonTest, APoisonSampleGoesToTheDeadLetterFileAndTheSamplesBehindItAreDelivered) {
    auto runner = makeRunner();
    sink->poison = {37};
    runner->start();
    runner->enqueue(sequence(0, 100));
    ASSERT_TRUE(eventually([&] { return runner->status().delivered == 99; }));
    runner->stop(kMicrosPerSecond);
    EXPECT_EQ(sink->firstArrivals(), without(range(0, 100), {37})) << "in order, 37 left out";
    const auto status = runner->status();
    EXPECT_EQ(status.deadLettered, 1u);
    EXPECT_EQ(status.dropped, 0u);
    const std::string text = deadLetterText();
    EXPECT_NE(
        text.find("\"sink\":\"sink.db\",\"reason\":\"failed 4 times, the last right after the sink took "
                  "another sample: value 37 breaks a constraint\",\"samples\":1}\n"),
        std::string::npos)
        << text;
    EXPECT_NE(text.find("\"value\":37,"), std::string::npos) << text;
    EXPECT_EQ(log.count(Poco::Message::PRIO_ERROR,
                        "1 sample(s) set aside, the sink cannot write them (failed 4 "
                        "times"),
              1);
    EXPECT_EQ(log.count(Poco::Message::PRIO_ERROR, "; kept in " + deadLetters()), 1);
}

TEST_F(PoisonTest, ARefusalTheSinkCallsPermanentIsSetAsideAtOnce) {
    auto runner = makeRunner();
    sink->poison = {3, 4, 55};
    sink->permanent = true;
    runner->start();
    runner->enqueue(sequence(0, 100));
    ASSERT_TRUE(eventually([&] { return runner->status().deadLettered == 3; }));
    ASSERT_TRUE(eventually([&] { return runner->status().delivered == 97; }));
    runner->stop(kMicrosPerSecond);
    EXPECT_EQ(sink->values(), without(range(0, 100), {3, 4, 55})) << "in order, no duplicates";
    EXPECT_LE(runner->status().failures, 3u * 5u)
        << "halving, not retrying: a few failures per refused sample";
    EXPECT_NE(deadLetterText().find("\"reason\":\"refused: value 55 breaks a constraint\""),
              std::string::npos);
}

TEST_F(PoisonTest, ASinkThatIsMerelyDownSetsNothingAside) {
    auto runner = makeRunner();
    runner->start();
    runner->enqueue(sequence(0, 5));
    ASSERT_TRUE(eventually([&] { return runner->status().delivered == 5; }));
    sink->down = true;
    runner->enqueue(sequence(5, 95));
    // Long enough for every step of the search: failures at full size, halving to one sample, probes.
    ASSERT_TRUE(eventually([&] { return runner->status().failures >= 40; }));
    sink->down = false;
    ASSERT_TRUE(
        eventually([&] { return runner->status().spoolPending == 0 && runner->status().queued == 0; }));
    runner->stop(kMicrosPerSecond);
    const auto status = runner->status();
    EXPECT_EQ(status.deadLettered, 0u);
    EXPECT_EQ(status.dropped, 0u);
    EXPECT_EQ(sink->firstArrivals(), range(0, 100)) << "nothing lost, and no step back";
    EXPECT_FALSE(std::filesystem::exists(deadLetters()));
}

TEST_F(PoisonTest, WithoutASpoolAPoisonSampleIsDroppedAndCountedWithTheReason) {
    auto runner = makeRunner(false);
    sink->poison = {12};
    runner->start();
    runner->enqueue(sequence(0, 30));
    ASSERT_TRUE(eventually([&] { return runner->status().delivered == 29; }));
    runner->stop(kMicrosPerSecond);
    EXPECT_EQ(sink->firstArrivals(), without(range(0, 30), {12}));
    const auto status = runner->status();
    EXPECT_EQ(status.dropped, 1u);
    EXPECT_EQ(status.deadLettered, 0u);
    EXPECT_EQ(
        log.count(Poco::Message::PRIO_ERROR,
                  "value 12 breaks a constraint); dropped (without a spool there is no dead-letter file)"),
        1);
}

TEST_F(PoisonTest, WhatDoesNotFitInTheDeadLetterFileIsDroppedAndCounted) {
    auto runner = makeRunner(true, 4096);
    std::filesystem::create_directories(spoolDirectory());
    std::ofstream(deadLetters()) << std::string(4000, 'x') << "\n";
    sink->poison = {20, 21};
    sink->permanent = true;
    runner->start();
    runner->enqueue(sequence(0, 40));
    ASSERT_TRUE(eventually([&] { return runner->status().delivered == 38; }));
    runner->stop(kMicrosPerSecond);
    const auto status = runner->status();
    EXPECT_EQ(status.dropped, 2u);
    EXPECT_EQ(status.deadLettered, 0u);
    EXPECT_EQ(log.count(Poco::Message::PRIO_ERROR,
                        "; dropped: the dead-letter file " + deadLetters() + " is full (4096 bytes)"),
              2);
    EXPECT_EQ(std::filesystem::file_size(deadLetters()), 4001u);
}

}  // namespace
}  // namespace citysense
