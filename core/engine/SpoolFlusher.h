// Flushes spool files to the disk on a thread of its own, for a spool whose writer must not wait
// for the disk: a driver's journal (DriverJournal.h) is written on the thread that receives the
// messages it acknowledges, and an fdatasync there (milliseconds, at times a few hundred) holds up
// every message behind it. The writer hands over a duplicate of the descriptor to flush; the flusher
// flushes it (fdatasync for a segment, fsync for a directory), closes it and logs what failed.
// Flushes are done in the order they were handed over. A flush the writer cannot start yet (the last
// one is less than a second old, or still running) is handed over for later instead: the flusher does
// it when it is due, without waiting for another write, so that what was written last is on the disk
// within a second too.
#pragma once

#include <citysense/Time.h>

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <thread>

namespace Poco {
class Logger;
}

namespace citysense {

class SpoolFlusher {
public:
    explicit SpoolFlusher(Poco::Logger& logger);
    /// Flushes everything handed over first.
    ~SpoolFlusher();
    SpoolFlusher(const SpoolFlusher&) = delete;
    SpoolFlusher& operator=(const SpoolFlusher&) = delete;

    /// What a descriptor is, for how it is flushed.
    enum class Kind {
        File,       ///< fdatasync: the data and what it takes to read it back
        Directory,  ///< fsync: the names in it
    };

    /// Flushes a duplicate of `fd` (the caller keeps `fd`) of the file at `path` (for the log) soon.
    /// Returns at once; a descriptor that cannot be duplicated is flushed here and now.
    void flush(int fd, Kind kind, const std::string& path);

    /// Flushes a duplicate of the file `fd` at `path` once `due` (steadyMicros()) has come and the
    /// flushes handed over before are done, unless a later flush of `path` comes first. While one is
    /// waiting, more of the same file are the same flush; one of another file replaces it.
    void flushLater(int fd, const std::string& path, Micros due);

    /// Flushes are handed over and not done yet (a flush for later counts once it runs).
    bool busy() const;

    /// Flushes done so far.
    std::uint64_t flushes() const;

    /// Flushes `fd` on this thread, logging a failure to `logger`.
    static void flushNow(int fd, Kind kind, const std::string& path, Poco::Logger& logger);

private:
    struct Request {
        int fd = -1;
        Kind kind = Kind::File;
        std::string path;
    };

    void loop();
    /// Forgets the flush for later, if any (with _mutex held).
    void dropLater();

    Poco::Logger& _logger;
    mutable std::mutex _mutex;
    std::condition_variable _wake;
    std::deque<Request> _requests;
    Request _later;  ///< fd < 0: none
    Micros _laterDue = 0;
    std::uint64_t _flushes = 0;
    bool _flushing = false;
    bool _stopping = false;
    std::thread _thread;
};

}  // namespace citysense
