// The spool's background flusher: it flushes what it is handed, in order, before it is destroyed,
// closes its own duplicates and never the caller's descriptor, and logs a flush that fails.
#include "RecordingLog.h"
#include "SpoolTesting.h"

#include <engine/SpoolFlusher.h>

#include <gtest/gtest.h>

#include <fcntl.h>
#include <unistd.h>
#include <filesystem>

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
