// The spool's background flusher: it flushes what it is handed, in order, before it is destroyed,
// closes its own duplicates and never the caller's descriptor, logs a flush that fails, and does a
// flush handed over for later when it is due, with no further call.
#include "RecordingLog.h"
#include "SpoolTesting.h"

#include <engine/SpoolFlusher.h>

#include <gtest/gtest.h>

#include <fcntl.h>
#include <unistd.h>
#include <filesystem>

#include <citysense/Time.h>

namespace citysense {
namespace {

/// Descriptors this process has open.
std::size_t openDescriptors() {
    std::size_t count = 0;
    for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator("/proc/self/fd"))
        ++count;
    return count;
}

class SpoolFlusherTest : public test::ScratchTest {
protected:
    Poco::Logger& logger() { return Poco::Logger::get("driver.flushed"); }

    test::RecordingLog log{"driver.flushed"};
};

TEST_F(SpoolFlusherTest, FlushesWhatItIsHandedAndClosesOnlyItsOwnDescriptors) {
    const std::string file = path("segment");
    const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0640);
    ASSERT_GE(fd, 0);
    const int directory = ::open(path("").c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    ASSERT_GE(directory, 0);
    const std::size_t before = openDescriptors();
    {
        SpoolFlusher flusher(logger());
        for (int i = 0; i < 20; ++i) {
            ASSERT_EQ(::write(fd, "record\n", 7), 7);
            flusher.flush(fd, SpoolFlusher::Kind::File, file);
        }
        flusher.flush(directory, SpoolFlusher::Kind::Directory, path(""));
    }
    EXPECT_EQ(openDescriptors(), before) << "every duplicate closed once flushed";
    EXPECT_EQ(::fcntl(fd, F_GETFD), FD_CLOEXEC) << "the caller's descriptor stays open";
    EXPECT_EQ(std::filesystem::file_size(file), 140u);
    EXPECT_EQ(log.count(Poco::Message::PRIO_ERROR, ""), 0);
    ::close(directory);
    ::close(fd);
}

TEST_F(SpoolFlusherTest, IsBusyOnlyUntilItHasFlushedEverything) {
    const std::string file = path("segment");
    const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0640);
    ASSERT_GE(fd, 0);
    SpoolFlusher flusher(logger());
    EXPECT_FALSE(flusher.busy());
    flusher.flush(fd, SpoolFlusher::Kind::File, file);
    for (int i = 0; i < 1000 && flusher.busy(); ++i)
        ::usleep(10000);
    EXPECT_FALSE(flusher.busy());
    ::close(fd);
}

/// Waits up to five seconds for `flusher` to have done `count` flushes.
bool waitForFlushes(const SpoolFlusher& flusher, std::uint64_t count) {
    for (int i = 0; i < 500 && flusher.flushes() < count; ++i)
        ::usleep(10000);
    return flusher.flushes() >= count;
}

TEST_F(SpoolFlusherTest, AFlushForLaterIsDoneWhenDueWithoutAnotherCall) {
    const std::string file = path("segment");
    const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0640);
    ASSERT_GE(fd, 0);
    SpoolFlusher flusher(logger());
    const Micros due = steadyMicros() + 200000;
    flusher.flushLater(fd, file, due);
    flusher.flushLater(fd, file, due);  // the same flush
    EXPECT_EQ(flusher.flushes(), 0u) << "not before it is due";
    ASSERT_TRUE(waitForFlushes(flusher, 1));
    EXPECT_GE(steadyMicros(), due);
    ::usleep(300000);
    EXPECT_EQ(flusher.flushes(), 1u) << "asked twice while waiting, done once";
    ::close(fd);
}

TEST_F(SpoolFlusherTest, AFlushForLaterAskedWhileBusyFollowsTheRunningOne) {
    const std::string file = path("segment");
    const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0640);
    ASSERT_GE(fd, 0);
    SpoolFlusher flusher(logger());
    flusher.flush(fd, SpoolFlusher::Kind::File, file);
    flusher.flushLater(fd, file, steadyMicros());  // a record written during the flush
    ASSERT_TRUE(waitForFlushes(flusher, 2));
    ::close(fd);
}

TEST_F(SpoolFlusherTest, AFlushOfTheFileCoversTheOneForLaterAndClosingDoesAnyLeft) {
    const std::string file = path("segment");
    const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0640);
    ASSERT_GE(fd, 0);
    const std::size_t before = openDescriptors();
    {
        SpoolFlusher flusher(logger());
        flusher.flushLater(fd, file, steadyMicros() + 60 * kMicrosPerSecond);
        flusher.flush(fd, SpoolFlusher::Kind::File, file);
        ASSERT_TRUE(waitForFlushes(flusher, 1));
        ::usleep(100000);
        EXPECT_EQ(flusher.flushes(), 1u) << "the flush covered the one for later";
        flusher.flushLater(fd, file, steadyMicros() + 60 * kMicrosPerSecond);
    }  // done when the flusher stops, not a minute later
    EXPECT_EQ(openDescriptors(), before) << "every duplicate closed";
    ::close(fd);
}

TEST_F(SpoolFlusherTest, AFlushThatFailsIsLoggedNamingTheFile) {
    int pipe[2];
    ASSERT_EQ(::pipe2(pipe, O_CLOEXEC), 0);
    {
        SpoolFlusher flusher(logger());
        flusher.flush(pipe[1], SpoolFlusher::Kind::File, "/spool/driver.flushed/00000000000000000001.spool");
    }  // a pipe cannot be flushed: EINVAL
    EXPECT_EQ(
        log.count(Poco::Message::PRIO_ERROR,
                  "cannot flush spool segment /spool/driver.flushed/00000000000000000001.spool to disk"),
        1);
    ::close(pipe[0]);
    ::close(pipe[1]);
}

}  // namespace
}  // namespace citysense
