// The durable spool on its own: order, reopening, segments, the size bound, damaged and foreign
// files, the lock, and sources coming back as interned pointers.
#include "RecordingLog.h"
#include "SpoolTesting.h"

#include <engine/Spool.h>
#include <engine/SpoolFormat.h>

#include <gtest/gtest.h>

#include <fstream>
#include <random>
#include <set>

namespace citysense {
namespace {

using test::range;
using test::sequence;
using test::valuesOf;

class SpoolTest : public test::ScratchTest {
protected:
    std::string directory() const { return path("sink.out"); }

    std::unique_ptr<Spool> open(std::uint64_t bound = 1024 * 1024, SpoolFlush flush = SpoolFlush::Inline) {
        return std::make_unique<Spool>(
            directory(), bound, Poco::Logger::get("sink.spool"),
            [this](std::uint64_t count, SpoolLoss why) {
                dropped += count;
                reasons.insert(spoolLossName(why));
            },
            flush);
    }

    /// Everything the spool holds, delivered in peeks of `step`.
    static std::vector<double> drain(Spool& spool, std::size_t step = 100) {
        std::vector<double> values;
        for (SampleBatch batch = spool.peek(step); !batch.empty(); batch = spool.peek(step)) {
            const auto more = valuesOf(batch);
            values.insert(values.end(), more.begin(), more.end());
            spool.consume(batch.size());
        }
        return values;
    }

    /// Flips the bits of the byte at `offset` of `file`.
    static void corrupt(const std::string& file, std::uint64_t offset) {
        std::fstream stream(file, std::ios::in | std::ios::out | std::ios::binary);
        stream.seekg(static_cast<std::streamoff>(offset));
        const char byte = static_cast<char>(stream.get());
        stream.seekp(static_cast<std::streamoff>(offset));
        stream.put(static_cast<char>(~byte));
    }

    test::RecordingLog log{"sink.spool"};
    std::uint64_t dropped = 0;
    std::set<std::string> reasons;
};

TEST_F(SpoolTest, DeliversInOrderAndConsumesOnlyWhatItIsTold) {
    auto spool = open();
    spool->append(sequence(0, 7));
    spool->append(sequence(7, 1500));  // more than one record
    spool->append(sequence(1507, 93));
    EXPECT_EQ(spool->pending(), 1600u);
    EXPECT_EQ(valuesOf(spool->peek(100)), range(0, 100));
    EXPECT_EQ(valuesOf(spool->peek(100)), range(0, 100)) << "peeking takes nothing away";
    spool->consume(3);
    EXPECT_EQ(valuesOf(spool->peek(10)), range(3, 10));
    spool->consume(10);
    EXPECT_EQ(valuesOf(spool->peek(1200)), range(13, 1200));
    spool->consume(1200);
    EXPECT_EQ(spool->pending(), 387u);
    EXPECT_EQ(drain(*spool, 64), range(1213, 387));
    EXPECT_EQ(spool->pending(), 0u);
    EXPECT_TRUE(spool->peek(10).empty());
    EXPECT_EQ(dropped, 0u);
}

TEST_F(SpoolTest, AReopenedSpoolReplaysWhatItHeld) {
    {
        auto spool = open();
        spool->append(sequence(0, 300));
        spool->consume(spool->peek(100).size());
    }
    auto spool = open();
    // No cursor is kept on disk: the consumed part of a segment not yet deleted comes again (at
    // least once; the server's unique key drops the duplicates).
    EXPECT_EQ(spool->pending(), 300u);
    spool->append(sequence(300, 50));
    EXPECT_EQ(drain(*spool), range(0, 350));
    EXPECT_EQ(log.count(Poco::Message::PRIO_ERROR, ""), 0);
}

TEST_F(SpoolTest, ASpoolFlushingInTheBackgroundKeepsWhatItTookAcrossAReopen) {
    {
        auto spool = open(64 * 1024, SpoolFlush::Background);  // 8 KiB segments: several closed on the way
        for (int i = 0; i < 40; ++i)
            spool->append(sequence(i * 50, 50));
        ASSERT_GE(test::ScratchTest::segments(directory()).size(), 3u);
        spool->consume(spool->peek(120).size());
        spool->append(sequence(2000, 50));
    }
    auto spool = open(64 * 1024);
    const std::vector<double> replayed = drain(*spool);
    ASSERT_GE(replayed.size(), 1930u);
    EXPECT_EQ(std::vector<double>(replayed.end() - 1930, replayed.end()), range(120, 1930));
    EXPECT_EQ(dropped, 0u);
    EXPECT_EQ(log.count(Poco::Message::PRIO_ERROR, ""), 0) << "every header counts what its segment holds";
}

TEST_F(SpoolTest, ConsumedSegmentsAreDeletedAndNotReplayed) {
    auto spool = open(64 * 1024);  // 8 KiB segments
    for (int i = 0; i < 40; ++i)
        spool->append(sequence(i * 50, 50));
    const auto files = test::ScratchTest::segments(directory());
    ASSERT_GE(files.size(), 3u);
    // Deliver until the first segment is gone, one sample at a time so as to stop where it ends.
    std::vector<double> delivered;
    while (std::filesystem::exists(files.front())) {
        const SampleBatch batch = spool->peek(1);
        ASSERT_FALSE(batch.empty());
        const auto more = valuesOf(batch);
        delivered.insert(delivered.end(), more.begin(), more.end());
        spool->consume(batch.size());
    }
    spool.reset();
    spool = open(64 * 1024);
    EXPECT_EQ(spool->pending(), 2000u - delivered.size());
    EXPECT_EQ(drain(*spool),
              range(static_cast<int>(delivered.size()), 2000 - static_cast<int>(delivered.size())));
    EXPECT_TRUE(test::ScratchTest::segments(directory()).empty()) << "all delivered, nothing left on disk";
}

TEST_F(SpoolTest, TheBoundDropsExactlyTheOldestAndCountsThem) {
    const std::uint64_t bound = 32 * 1024;
    auto spool = open(bound);
    constexpr int kTotal = 20000;
    for (int i = 0; i < kTotal; i += 25) {
        spool->append(sequence(i, 25));
        ASSERT_LE(test::ScratchTest::segmentBytes(directory()), bound);
    }
    ASSERT_GT(dropped, 0u);
    EXPECT_EQ(reasons, std::set<std::string>{"spool full"});
    EXPECT_EQ(spool->pending() + dropped, std::uint64_t{kTotal});
    const int kept = kTotal - static_cast<int>(dropped);
    EXPECT_EQ(drain(*spool), range(kTotal - kept, kept)) << "the newest are kept, in order";
}

TEST_F(SpoolTest, EvenTheSmallestBoundKeepsTheNewest) {
    auto spool = open(4096);
    for (int i = 0; i < 500; ++i)
        spool->append(sequence(i, 1));
    EXPECT_LE(test::ScratchTest::segmentBytes(directory()), 4096u);
    ASSERT_GT(spool->pending(), 0u);
    EXPECT_EQ(spool->pending() + dropped, 500u);
    const int kept = static_cast<int>(spool->pending());
    EXPECT_EQ(drain(*spool, 7), range(500 - kept, kept));
}

TEST_F(SpoolTest, ABadChecksumIsReportedWithFileAndOffsetAndTheRestOfTheSegmentSkipped) {
    std::string file;
    std::uintmax_t secondRecord = 0;
    {
        auto spool = open();
        spool->append(sequence(0, 10));
        file = test::ScratchTest::segments(directory()).at(0);
        secondRecord = std::filesystem::file_size(file);
        spool->append(sequence(10, 10));
        spool->append(sequence(20, 10));
    }
    corrupt(file, secondRecord + 20);  // inside the payload
    auto spool = open();
    const auto errors =
        log.find(Poco::Message::PRIO_ERROR, file + " at byte " + std::to_string(secondRecord) +
                                                ": bad checksum; skipping the rest of the segment");
    ASSERT_EQ(errors.size(), 1u) << log.count(Poco::Message::PRIO_ERROR, "");
    EXPECT_NE(errors[0].find("): 20 samples lost"), std::string::npos) << errors[0];
    EXPECT_EQ(dropped, 20u);
    EXPECT_EQ(reasons, std::set<std::string>{"damaged in the spool"});
    EXPECT_EQ(spool->pending(), 10u);
    EXPECT_EQ(drain(*spool), range(0, 10));
    EXPECT_FALSE(std::filesystem::exists(file))
        << "a damaged segment is deleted once its good part is delivered";
}

TEST_F(SpoolTest, ATornTailIsReportedAndWhatPrecedesItReplayed) {
    std::string file;
    std::uintmax_t secondRecord = 0;
    {
        auto spool = open();
        spool->append(sequence(0, 10));
        file = test::ScratchTest::segments(directory()).at(0);
        secondRecord = std::filesystem::file_size(file);
        spool->append(sequence(10, 10));
    }
    std::filesystem::resize_file(file, std::filesystem::file_size(file) - 5);
    auto spool = open();
    EXPECT_EQ(log.count(Poco::Message::PRIO_ERROR,
                        file + " at byte " + std::to_string(secondRecord) + ": the record is cut short"),
              1);
    spool->append(sequence(20, 5));
    EXPECT_EQ(drain(*spool), (std::vector<double>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 20, 21, 22, 23, 24}));
}

TEST_F(SpoolTest, ASegmentCutInsideARecordCountsExactlyWhatItLost) {
    std::string file;
    std::uintmax_t second = 0;
    {
        auto spool = open();
        spool->append(sequence(0, 10));
        file = test::ScratchTest::segments(directory()).at(0);
        second = std::filesystem::file_size(file);
        spool->append(sequence(10, 10));
        spool->append(sequence(20, 10));
    }
    std::filesystem::resize_file(file, second + 30);
    auto spool = open();
    EXPECT_EQ(log.count(Poco::Message::PRIO_ERROR,
                        file + " at byte " + std::to_string(second) + ": the record is cut short"),
              1);
    EXPECT_EQ(log.count(Poco::Message::PRIO_ERROR, "): 20 samples lost"), 1);
    EXPECT_EQ(dropped, 20u);
    EXPECT_EQ(reasons, std::set<std::string>{"damaged in the spool"});
    EXPECT_EQ(drain(*spool), range(0, 10));
}

TEST_F(SpoolTest, ARecordLongerThanItsFirstReadIsReadWholeOrFoundCutShort) {
    // A record's header and its first bytes come in one read; 100 samples take some 2 KB more.
    std::string file;
    std::uintmax_t second = 0;
    {
        auto spool = open();
        spool->append(sequence(0, 100));
        file = test::ScratchTest::segments(directory()).at(0);
        second = std::filesystem::file_size(file);
        spool->append(sequence(100, 100));
    }
    {
        auto spool = open();
        EXPECT_EQ(valuesOf(spool->peek(200)), range(0, 200));  // read, not consumed
    }
    std::filesystem::resize_file(file, second + 1000);
    auto spool = open();
    EXPECT_EQ(log.count(Poco::Message::PRIO_ERROR,
                        file + " at byte " + std::to_string(second) + ": the record is cut short"),
              1);
    EXPECT_EQ(dropped, 100u);
    EXPECT_EQ(drain(*spool), range(0, 100));
}

TEST_F(SpoolTest, ASegmentCutAtTheEndOfARecordCountsWhatItLost) {
    std::string file;
    std::uintmax_t second = 0;
    {
        auto spool = open();
        spool->append(sequence(0, 10));
        file = test::ScratchTest::segments(directory()).at(0);
        second = std::filesystem::file_size(file);
        spool->append(sequence(10, 15));
    }
    std::filesystem::resize_file(file, second);  // no torn record to see: only the count tells
    auto spool = open();
    EXPECT_EQ(
        log.count(Poco::Message::PRIO_ERROR,
                  file + " holds 10 samples of the 25 it had (cut at the end of a record): 15 samples lost"),
        1);
    EXPECT_EQ(dropped, 15u);
    EXPECT_EQ(drain(*spool), range(0, 10));
}

TEST_F(SpoolTest, ASegmentCutToNothingCountsAllItHeld) {
    std::string file;
    {
        auto spool = open();
        spool->append(sequence(0, 776));
        file = test::ScratchTest::segments(directory()).at(0);
    }
    std::filesystem::resize_file(file, 0);
    auto spool = open();
    EXPECT_EQ(
        log.count(Poco::Message::PRIO_ERROR,
                  file + " (in the index with 776 samples) is cut to 0 bytes: 776 samples lost; deleted"),
        1);
    EXPECT_EQ(dropped, 776u);
    EXPECT_EQ(reasons, std::set<std::string>{"damaged in the spool"});
    EXPECT_EQ(spool->pending(), 0u);
    EXPECT_FALSE(std::filesystem::exists(file));
}

TEST_F(SpoolTest, ASegmentWhoseHeaderIsLostCountsAllItHeld) {
    std::string file;
    {
        auto spool = open();
        spool->append(sequence(0, 30));
        file = test::ScratchTest::segments(directory()).at(0);
    }
    for (std::uint64_t offset = 0; offset < 8; ++offset)
        corrupt(file, offset);
    auto spool = open();
    EXPECT_EQ(
        log.count(Poco::Message::PRIO_ERROR, file + " (in the index with 30 samples) lost its header (wrong "
                                                    "magic): 30 samples lost; deleted"),
        1);
    EXPECT_EQ(dropped, 30u);
    EXPECT_FALSE(std::filesystem::exists(file));
}

TEST_F(SpoolTest, ADamagedCountInAHeaderLeavesTheRecordsReadable) {
    std::string file;
    {
        auto spool = open();
        spool->append(sequence(0, 30));
        file = test::ScratchTest::segments(directory()).at(0);
    }
    corrupt(file, 9);  // inside the sample count
    auto spool = open();
    EXPECT_EQ(log.count(Poco::Message::PRIO_ERROR,
                        file + " (in the index with 30 samples): its header is damaged (bad checksum); its "
                               "records are all there"),
              1);
    EXPECT_EQ(dropped, 0u);
    EXPECT_EQ(drain(*spool), range(0, 30));
}

TEST_F(SpoolTest, ASegmentMissingFromTheDirectoryCountsAllItHeld) {
    std::string file;
    {
        auto spool = open(64 * 1024);  // 8 KiB segments
        for (int i = 0; i < 40; ++i)
            spool->append(sequence(i * 50, 50));
        file = test::ScratchTest::segments(directory()).at(1);
    }
    std::uint64_t held = 0;
    {
        // What the segment held, read on its own.
        const std::string alone = path("alone");
        std::filesystem::create_directories(alone);
        std::filesystem::copy_file(file, alone + "/" + std::filesystem::path(file).filename().string());
        Spool copy(alone, 1024 * 1024, Poco::Logger::get("sink.copy"), [](std::uint64_t, SpoolLoss) {});
        held = copy.pending();
    }
    ASSERT_GT(held, 0u);
    std::filesystem::remove(file);
    auto spool = open(64 * 1024);
    EXPECT_EQ(log.count(Poco::Message::PRIO_ERROR, file + " (in the index with " + std::to_string(held) +
                                                       " samples) is missing: " + std::to_string(held) +
                                                       " samples lost"),
              1);
    EXPECT_EQ(dropped, held);
    EXPECT_EQ(spool->pending() + held, 2000u);
}

TEST_F(SpoolTest, DamageIsCountedOnceNotAgainAtTheNextStart) {
    std::string file;
    std::uintmax_t second = 0;
    {
        auto spool = open();
        spool->append(sequence(0, 10));
        file = test::ScratchTest::segments(directory()).at(0);
        second = std::filesystem::file_size(file);
        spool->append(sequence(10, 10));
    }
    corrupt(file, second + 20);
    open().reset();
    EXPECT_EQ(dropped, 10u);
    auto spool = open();
    EXPECT_EQ(dropped, 10u) << "the index counts what was readable when the damage was found";
    EXPECT_EQ(drain(*spool), range(0, 10));
}

TEST_F(SpoolTest, TheSegmentBeingWrittenWhenTheProcessDiedLosesAtLeastWhatItsLastFlushCounted) {
    std::string file;
    std::uintmax_t second = 0;
    {
        auto spool = open();
        spool->append(sequence(0, 10));
        file = test::ScratchTest::segments(directory()).at(0);
        second = std::filesystem::file_size(file);
        spool->append(sequence(10, 10));
        spool->append(sequence(20, 10));
    }
    // As a crash leaves it: not in the index, its header counting the samples of its last flush (20).
    std::filesystem::remove(directory() + "/index");
    {
        const std::string header = encodeSegmentHeader({20, false});
        std::fstream stream(file, std::ios::in | std::ios::out | std::ios::binary);
        stream.write(header.data(), static_cast<std::streamsize>(header.size()));
    }
    std::filesystem::resize_file(file, second + 30);
    auto spool = open();
    EXPECT_EQ(log.count(Poco::Message::PRIO_ERROR,
                        file + " at byte " + std::to_string(second) + ": the record is cut short"),
              1);
    EXPECT_EQ(log.count(Poco::Message::PRIO_ERROR, ": at least 10 samples lost (it was being written"), 1);
    EXPECT_EQ(dropped, 10u);
    EXPECT_EQ(drain(*spool), range(0, 10));
}

TEST_F(SpoolTest, ASpoolOfFormat1IsStillReadAndItsDamageSaidToBeUncounted) {
    // As citysense wrote segments before the header had a count: the magic, then records.
    std::filesystem::create_directories(directory());
    const std::string whole = directory() + "/00000000000000000004.spool";
    const std::string damaged = directory() + "/00000000000000000005.spool";
    std::string bytes(kSpoolMagicFormat1, kSpoolMagicSize);
    encodeRecord(sequence(0, 10), 0, 1 << 20, bytes);
    encodeRecord(sequence(10, 20), 0, 1 << 20, bytes);
    std::ofstream(whole, std::ios::binary) << bytes;
    bytes.assign(kSpoolMagicFormat1, kSpoolMagicSize);
    encodeRecord(sequence(30, 5), 0, 1 << 20, bytes);
    const std::size_t cut = bytes.size() + 10;
    encodeRecord(sequence(35, 5), 0, 1 << 20, bytes);
    std::ofstream(damaged, std::ios::binary) << bytes.substr(0, cut);
    auto spool = open();
    EXPECT_EQ(spool->pending(), 35u);
    EXPECT_EQ(log.count(Poco::Message::PRIO_ERROR, damaged + " at byte "), 1);
    EXPECT_EQ(log.count(Poco::Message::PRIO_ERROR, ": an unknown number of samples lost"), 1);
    spool->append(sequence(35, 5));
    EXPECT_EQ(drain(*spool), range(0, 40));
    EXPECT_TRUE(test::ScratchTest::segments(directory()).empty());
}

TEST_F(SpoolTest, DamageFoundWhileReadingCountsTheSamplesItCosts) {
    auto spool = open();
    spool->append(sequence(0, 10));
    const std::string file = test::ScratchTest::segments(directory()).at(0);
    const auto secondRecord = std::filesystem::file_size(file);
    spool->append(sequence(10, 30));
    corrupt(file, secondRecord + 30);
    EXPECT_EQ(valuesOf(spool->peek(100)), range(0, 10));
    EXPECT_EQ(dropped, 30u);
    EXPECT_EQ(reasons, std::set<std::string>{"damaged in the spool"});
    EXPECT_EQ(log.count(Poco::Message::PRIO_ERROR,
                        file + " at byte " + std::to_string(secondRecord) +
                            ": bad checksum; skipping the rest of the segment: 30 samples lost"),
              1);
    spool->consume(10);
    spool->append(sequence(40, 5));  // into a new segment: never after damage
    EXPECT_EQ(drain(*spool), range(40, 5));
}

TEST_F(SpoolTest, DamageAfterAPeekCostsNeitherTheDeliveredSamplesNorTheNextOnes) {
    auto spool = open(32 * 1024);
    for (int i = 0; i < 400; i += 10)
        spool->append(sequence(i, 10));
    const std::string head = test::ScratchTest::segments(directory()).at(0);
    EXPECT_EQ(valuesOf(spool->peek(25)), range(0, 25));  // two records and a half
    // Delivered; then the head record turns bad on the disk before it is consumed.
    corrupt(head, 8 + 20);
    spool->consume(25);
    EXPECT_EQ(dropped, 0u) << "nothing delivered is counted as dropped";
    EXPECT_EQ(spool->pending(), 375u);
    EXPECT_EQ(drain(*spool, 7), range(25, 375)) << "nothing that was not delivered is consumed";
    EXPECT_EQ(log.count(Poco::Message::PRIO_ERROR, ""), 0);
}

TEST_F(SpoolTest, ConsumingTwiceAfterOnePeekTakesTheNextSamples) {
    auto spool = open();
    spool->append(sequence(0, 10));
    spool->append(sequence(10, 10));
    EXPECT_EQ(valuesOf(spool->peek(15)), range(0, 15));
    spool->consume(4);
    spool->consume(8);
    spool->consume(100);  // more than the peek returned: only what it returned
    EXPECT_EQ(spool->pending(), 5u);
    EXPECT_EQ(drain(*spool), range(15, 5));
}

TEST_F(SpoolTest, DiscardedSamplesLeaveWithoutAPeekEvenInsideARecord) {
    auto spool = open();
    spool->append(sequence(0, 10));
    spool->append(sequence(10, 10));
    spool->append(sequence(20, 10));
    spool->discard(4);   // inside the first record
    spool->discard(12);  // past the second's start
    EXPECT_EQ(spool->pending(), 14u);
    EXPECT_EQ(valuesOf(spool->peek(5)), range(16, 5));
    spool->consume(5);
    spool->discard(9);  // the rest of the second record, exactly
    EXPECT_EQ(spool->pending(), 0u);
    EXPECT_TRUE(spool->peek(10).empty());
    spool->append(sequence(30, 3));
    spool->discard(100);  // more than it holds: all it holds
    EXPECT_EQ(spool->pending(), 0u);
    spool->append(sequence(33, 2));
    EXPECT_EQ(drain(*spool), range(33, 2));
    EXPECT_EQ(dropped, 0u);
}

TEST_F(SpoolTest, DiscardingAtRecordBoundariesPassesWholeRecords) {
    auto spool = open();
    for (int i = 0; i < 50; ++i)
        spool->append(sequence(i * 3, 3));
    spool->discard(30);  // ten whole records
    spool->discard(30);
    EXPECT_EQ(valuesOf(spool->peek(4)), range(60, 4));
    spool->consume(4);
    EXPECT_EQ(drain(*spool, 9), range(64, 86));
}

TEST_F(SpoolTest, ADiscardForgetsThePeekBeforeIt) {
    auto spool = open();
    spool->append(sequence(0, 20));
    EXPECT_EQ(valuesOf(spool->peek(10)), range(0, 10));
    spool->discard(5);
    spool->consume(10);  // refers to a peek the discard made stale: removes nothing
    EXPECT_EQ(spool->pending(), 15u);
    EXPECT_EQ(drain(*spool), range(5, 15));
}

TEST_F(SpoolTest, DiscardDeletesTheSegmentsItEmptiesAndOnlyThose) {
    int thirdStarts = 0;
    {
        auto spool = open(64 * 1024);  // 8 KiB segments
        for (int i = 0; i < 40; ++i)
            spool->append(sequence(i * 50, 50));
        const auto files = test::ScratchTest::segments(directory());
        ASSERT_GE(files.size(), 4u);
        // To the end of the second segment a sample at a time, then into the third.
        while (std::filesystem::exists(files[1]))
            spool->discard(1);
        EXPECT_FALSE(std::filesystem::exists(files[0]));
        thirdStarts = 2000 - static_cast<int>(spool->pending());
        spool->discard(10);
        EXPECT_TRUE(std::filesystem::exists(files[2])) << "the third still holds samples";
        EXPECT_EQ(test::ScratchTest::segments(directory()).size(), files.size() - 2);
    }
    // No read position on disk: the third segment comes again whole, then everything after it.
    auto spool = open(64 * 1024);
    EXPECT_EQ(drain(*spool), range(thirdStarts, 2000 - thirdStarts));
    EXPECT_EQ(log.count(Poco::Message::PRIO_ERROR, ""), 0);
}

TEST_F(SpoolTest, DamageFoundPassingDiscardedSamplesCostsOnlyTheRest) {
    auto spool = open();
    spool->append(sequence(0, 10));
    const std::string file = test::ScratchTest::segments(directory()).at(0);
    const auto secondRecord = std::filesystem::file_size(file);
    spool->append(sequence(10, 30));
    spool->append(sequence(40, 10));
    spool->discard(15);  // the first record, and 5 of the second
    corrupt(file, secondRecord + 30);
    EXPECT_TRUE(spool->peek(100).empty()) << "what follows damage is skipped";
    EXPECT_EQ(dropped, 35u) << "25 of the second record and the third's 10, not the 15 discarded";
    EXPECT_EQ(spool->pending(), 0u);
    spool->append(sequence(50, 5));
    EXPECT_EQ(drain(*spool), range(50, 5));
}

TEST_F(SpoolTest, SamplesPeekedAndDroppedForTheBoundAreNotConsumedTwice) {
    auto spool = open(4096);
    for (int i = 0; i < 20; ++i)
        spool->append(sequence(i, 1));
    ASSERT_EQ(dropped, 0u);
    const SampleBatch peeked = spool->peek(10);
    EXPECT_EQ(valuesOf(peeked), range(0, 10));
    for (int i = 20; dropped == 0; ++i)
        spool->append(sequence(i, 1));
    const std::uint64_t before = spool->pending();
    const std::uint64_t lostOfPeeked = std::min<std::uint64_t>(dropped, 10);
    ASSERT_LT(lostOfPeeked, 10u) << "one segment of the eight goes, not all the peek returned";
    spool->consume(peeked.size());
    EXPECT_EQ(spool->pending(), before - (10 - lostOfPeeked));
    const int next = static_cast<int>(std::max<std::uint64_t>(dropped, 10));
    EXPECT_EQ(drain(*spool).front(), next);
}

TEST_F(SpoolTest, TheBoundDropsAnEighthAtATimeWhateverItIs) {
    for (const std::uint64_t bound : {4096u, 8191u, 16384u, 1024u * 1024u}) {
        std::filesystem::remove_all(directory());
        dropped = 0;
        auto spool = open(bound);
        std::uint64_t least = ~std::uint64_t{0};
        std::uint64_t most = 0;
        for (int i = 0; dropped == 0 || i < 5000; i += 2) {
            spool->append(sequence(i, 2));
            if (dropped > 0) {
                least = std::min(least, spool->pending());
                most = std::max(most, spool->pending());
            }
        }
        EXPECT_LE(test::ScratchTest::segmentBytes(directory()), bound) << bound;
        EXPECT_GE(test::ScratchTest::segments(directory()).size(), 7u) << bound;
        EXPECT_GE(least * 8, most * 7 - 8) << bound << ": reaching the bound drops an eighth, not all";
    }
}

TEST_F(SpoolTest, AStrayFileNamedLikeASegmentIsReportedAndLeftAlone) {
    std::filesystem::create_directories(directory());
    const std::vector<std::string> stray{"99999999999999999999.spool", "00000000000000000000.spool",
                                         "18446744073709551615.spool", "0000000000000000000x.spool",
                                         "1.spool"};
    for (const auto& name : stray)
        std::ofstream(directory() + "/" + name) << "x";
    auto spool = open();
    for (const auto& name : stray) {
        EXPECT_EQ(
            log.count(Poco::Message::PRIO_ERROR, directory() + "/" + name + " is not named like a segment"),
            1)
            << name;
    }
    spool->append(sequence(0, 5));
    EXPECT_EQ(drain(*spool), range(0, 5));
    spool.reset();
    for (const auto& name : stray)
        EXPECT_TRUE(std::filesystem::exists(directory() + "/" + name)) << name;
}

TEST_F(SpoolTest, AFileWithTheWrongMagicIsReportedAndLeftAlone) {
    std::filesystem::create_directories(directory());
    const std::string foreign = directory() + "/00000000000000000001.spool";
    std::ofstream(foreign) << "not a spool segment at all";
    auto spool = open();
    EXPECT_EQ(
        log.count(Poco::Message::PRIO_ERROR, foreign + " is not a spool segment (wrong magic); left alone"),
        1);
    EXPECT_EQ(spool->pending(), 0u);
    spool->append(sequence(0, 5));
    EXPECT_EQ(drain(*spool), range(0, 5));
    spool.reset();
    std::ifstream in(foreign);
    EXPECT_EQ(std::string(std::istreambuf_iterator<char>(in), {}), "not a spool segment at all");
}

TEST_F(SpoolTest, ASegmentCutShortAsItWasCreatedIsQuietlyRemoved) {
    std::filesystem::create_directories(directory());
    const std::string stub = directory() + "/00000000000000000007.spool";
    std::ofstream(stub) << "CSSP";
    auto spool = open();
    EXPECT_FALSE(std::filesystem::exists(stub));
    EXPECT_EQ(log.count(Poco::Message::PRIO_ERROR, ""), 0);
    spool->append(sequence(0, 3));
    EXPECT_EQ(test::ScratchTest::segments(directory()),
              std::vector<std::string>{directory() + "/00000000000000000008.spool"});
}

TEST_F(SpoolTest, NoFileContentCrashesIt) {
    std::mt19937 random(7);
    for (int round = 0; round < 200; ++round) {
        std::filesystem::remove_all(directory());
        {
            auto spool = open();
            spool->append(sequence(0, 1 + round % 40));
            spool->append(sequence(100, 1 + round % 3));
        }
        const std::string file = test::ScratchTest::segments(directory()).at(0);
        const auto size = std::filesystem::file_size(file);
        for (int flips = 0; flips < 1 + round % 4; ++flips)
            corrupt(file, 8 + random() % (size - 8));
        if (round % 5 == 0)
            std::filesystem::resize_file(file, 8 + random() % (size - 8));
        auto spool = open();
        const auto values = drain(*spool, 1 + round % 17);
        EXPECT_LE(values.size(), std::size_t(1 + round % 40 + 1 + round % 3));
    }
}

TEST_F(SpoolTest, ASecondHolderIsRefused) {
    auto spool = open();
    try {
        open();
        FAIL() << "opened twice";
    } catch (const std::runtime_error& error) {
        EXPECT_EQ(std::string(error.what()), "spool " + directory() + " is in use by another process");
    }
    spool.reset();
    EXPECT_NO_THROW(open());
}

TEST_F(SpoolTest, ADirectoryThatCannotBeCreatedIsAnErrorNamingIt) {
    std::ofstream(path("file")) << "in the way";
    try {
        Spool spool(path("file") + "/sink.out", 4096, Poco::Logger::get("sink.spool"),
                    [](std::uint64_t, SpoolLoss) {});
        FAIL() << "opened";
    } catch (const std::runtime_error& error) {
        EXPECT_NE(std::string(error.what()).find(path("file") + "/sink.out"), std::string::npos)
            << error.what();
    }
}

TEST_F(SpoolTest, ARecordIsLaidOutAsSpoolFormatSaysByteForByte) {
    const Source* source = sequence(0, 1).front().source;
    SampleBatch batch = sequence(7, 2);
    batch.push_back({Quantity::Humidity, QualityWarmingUp, 41.5, -3, nullptr});
    std::string payload;
    const auto put = [&payload](const auto value) {
        payload.append(reinterpret_cast<const char*>(&value), sizeof value);
    };
    const auto putString = [&](const std::string& text) {
        put(static_cast<std::uint32_t>(text.size()));
        payload += text;
    };
    put(std::uint32_t{3});
    put(std::uint16_t{1});
    putString("hypo_city");
    putString("city_01");
    putString("street_01");
    putString("driver.seq");
    put(std::uint8_t{1});
    put(52.52);
    put(13.405);
    for (const Sample& sample : batch) {
        put(sample.source == source ? std::uint16_t{0} : std::uint16_t{0xffff});
        put(static_cast<std::uint8_t>(sample.quantity));
        put(sample.quality);
        put(sample.value);
        put(static_cast<std::int64_t>(sample.time));
    }
    const std::uint32_t header[] = {static_cast<std::uint32_t>(payload.size()),
                                    payloadChecksum(payload.data(), payload.size())};
    const std::string expected =
        "before" + std::string(reinterpret_cast<const char*>(header), sizeof header) + payload;
    std::string out = "before";
    EXPECT_EQ(encodeRecord(batch, 0, 1 << 20, out), 3u);
    EXPECT_EQ(out, expected) << "appended after what `out` held, in format 2's layout";
}

TEST_F(SpoolTest, ARecordOfManyStationsListsEachOnceAndReadsBackToTheirSources) {
    std::vector<const Source*> sources;
    for (int i = 0; i < 40; ++i)
        sources.push_back(
            Source::intern({"hypo_city", "city_01", "street_" + std::to_string(100 + i)}, "driver.seq"));
    SampleBatch batch;
    for (int i = 0; i < 1000; ++i)
        batch.push_back({Quantity::NO2, QualityOk, double(i), Micros(i), sources[i * 7 % 40]});
    std::string record;
    ASSERT_EQ(encodeRecord(batch, 0, 1 << 20, record), 1000u) << "one record";
    // Each source: four lengths, hypo_city, city_01, street_1NN, driver.seq, has position, position.
    const std::size_t listed = sources.size() * (4 * 4 + 9 + 7 + 10 + 10 + 1 + 8 + 8);
    EXPECT_EQ(record.size(), kRecordHeaderSize + kMinPayloadSize + listed + 1000 * 21)
        << "every station listed once";
    SampleBatch back;
    decodePayload(record.data() + kRecordHeaderSize, record.size() - kRecordHeaderSize, back);
    ASSERT_EQ(back.size(), batch.size());
    for (std::size_t i = 0; i < batch.size(); ++i) {
        EXPECT_EQ(back[i].source, batch[i].source) << i;
        EXPECT_EQ(back[i].value, batch[i].value) << i;
    }
}

TEST_F(SpoolTest, SamplesComeBackWhole) {
    const Station elsewhere{"hypo_city", "city_02", "street_09"};
    const Source* there = Source::intern(elsewhere, "driver.wind");
    SampleBatch batch = sequence(0, 2);
    batch.push_back(
        {Quantity::WindDirection, QualityOutOfRange | QualitySimulated, -273.5, 1700000000123456, there});
    batch.push_back({Quantity::TemperatureF, QualityOk, 1e300, -5, nullptr});
    {
        auto spool = open();
        spool->append(batch);
    }
    auto spool = open();
    const SampleBatch back = spool->peek(10);
    ASSERT_EQ(back.size(), batch.size());
    for (std::size_t i = 0; i < batch.size(); ++i) {
        EXPECT_EQ(back[i].quantity, batch[i].quantity) << i;
        EXPECT_EQ(back[i].quality, batch[i].quality) << i;
        EXPECT_EQ(back[i].value, batch[i].value) << i;
        EXPECT_EQ(back[i].time, batch[i].time) << i;
        EXPECT_EQ(back[i].source, batch[i].source) << "interned again to the same pointer " << i;
    }
    EXPECT_EQ(back[0].source->station.latitude, 52.52);
    EXPECT_TRUE(back[0].source->station.hasPosition);
}

}  // namespace
}  // namespace citysense
