// A sink's durable spool: samples the sink could not deliver, kept on disk in order until it can.
// One directory per sink instance (`<spool_dir>/sink.broker`) holds numbered, append-only segment
// files of checksummed records (SpoolFormat.h) and a lock file. Delivered samples are consumed from
// the head and a segment is deleted once all of it is consumed; when the spool would outgrow its
// size bound the oldest segments are deleted and their samples counted as dropped. A segment is an
// eighth of the bound, so reaching the bound drops about an eighth of it at a time.
//
// Every record is one write(2), so a process killed even with SIGKILL loses nothing the spool took;
// data is flushed to the disk (fdatasync) at most once a second and when a segment is closed, so a
// power loss may cost the last second. A spool made with SpoolFlush::Background hands those flushes
// to a thread of its own (SpoolFlusher.h), so that append() never waits for the disk; the flush then
// follows within a second as well, with no further append needed (after the running one, if the flush
// before is still running then). No read
// position is kept on disk: after a restart, the delivered part of a segment not yet deleted is delivered
// again (at least once; the server's unique key drops the duplicates). Each open appends to a new segment,
// never after a tail that a crash may have torn.
//
// A damaged record ends its segment: the rest is skipped. What damage costs is counted and logged as
// an error naming the file: a segment's header carries its sample count (updated at every flush and
// when it is closed) and the spool's index (SpoolIndex.h) the count of every closed segment, so the
// loss is exact for a closed segment, even one cut to nothing, missing, or with its header lost; for
// the segment being written when the process died it is "at least" what its last flush counted; for
// a segment of format 1 (written before the count existed) it is unknown and said so.
//
// Only one thread may use a Spool.
#pragma once

#include "SpoolFlusher.h"
#include "SpoolIndex.h"
#include "SpoolSegment.h"

#include <citysense/Sample.h>

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace Poco {
class Logger;
}

namespace citysense {

/// Where a sink keeps its spool and how large it may grow.
struct SpoolSettings {
    std::string directory;  ///< empty: no spool, undeliverable samples wait in memory only
    std::uint64_t sizeBound = 64 * 1024 * 1024;
    std::uint64_t deadLetterBound = 1024 * 1024;  ///< most bytes of its dead-letter file (DeadLetterFile.h)
};

/// An append the disk refused; the samples before `stored()` of the batch were kept.
class SpoolWriteError : public std::runtime_error {
public:
    SpoolWriteError(const std::string& message, std::size_t stored)
        : std::runtime_error(message), _stored(stored) {}
    std::size_t stored() const { return _stored; }

private:
    std::size_t _stored;
};

/// Why the spool lost samples.
enum class SpoolLoss {
    Full,     ///< the oldest, dropped to stay within the bound
    Damaged,  ///< damaged or missing on the disk
};

/// Where the spool's flushes to the disk are done.
enum class SpoolFlush {
    Inline,      ///< on the thread that writes (append(), closing a segment), which waits for them
    Background,  ///< on a thread of the spool's own (SpoolFlusher.h); the writer never waits for the disk
};

/// "spool full", "damaged in the spool".
const char* spoolLossName(SpoolLoss why);

class Spool {
public:
    /// Told of samples the spool lost.
    using LossHandler = std::function<void(std::uint64_t count, SpoolLoss why)>;

    /// Opens `directory` (creating it and its parents), locks it and scans its segments; damage
    /// found is logged as errors to `logger`. Throws std::runtime_error naming the directory when it
    /// cannot be created or is in use by another process.
    Spool(std::string directory, std::uint64_t sizeBound, Poco::Logger& logger, LossHandler lost,
          SpoolFlush flush = SpoolFlush::Inline);
    /// Syncs what was written (waiting for a background flush too) and releases the lock.
    ~Spool();
    Spool(const Spool&) = delete;
    Spool& operator=(const Spool&) = delete;

    /// Appends the samples after everything the spool holds. Throws SpoolWriteError.
    void append(const SampleBatch& batch);

    /// Up to `most` of the oldest samples, in order; empty when the spool is.
    SampleBatch peek(std::size_t most);

    /// Removes the `count` oldest of the samples the last peek() returned, once delivered, without
    /// reading them again; more than that peek returned and not consumed yet are not removed.
    /// Samples of it the spool dropped meanwhile (appending to a full spool) are not counted twice.
    void consume(std::size_t count);

    /// Removes the `count` oldest samples without reading them (a driver's journal drops what its sinks
    /// settled, which it never reads again): segments they fill are deleted, and in the segment where
    /// they end the next peek() passes over them. A consume() after it removes nothing until the next
    /// peek().
    void discard(std::uint64_t count);

    /// Samples held.
    std::uint64_t pending() const { return _pending; }

    /// Bytes the segment files take.
    std::uint64_t bytes() const { return _bytes; }

    /// Flushes appended records to the disk if the last flush is a second old (with
    /// SpoolFlush::Background: starts the flush, or, when it is not due or the one before is still
    /// running, has the flusher do it once due without another call).
    void syncIfDue();

    const std::string& directory() const { return _directory; }

private:
    /// One decoded record, kept so that peeking in parts does not decode it again.
    struct Record {
        bool valid = false;
        std::uint64_t segment = 0;
        std::uint64_t offset = 0;
        std::uint64_t next = 0;
        SampleBatch samples;
    };

    /// A record the last peek() returned samples of, for consume() to advance over.
    struct Peeked {
        std::uint64_t segment = 0;
        std::uint64_t offset = 0;
        std::uint64_t next = 0;     ///< where the record after it starts
        std::uint64_t samples = 0;  ///< returned and not consumed yet
        bool toEnd = false;         ///< the peek returned the record's samples to its last
    };

    void lock();
    void scan();
    /// Adds the segment file `number` if it holds samples, after reporting what damage cost;
    /// `listed` is its count in the index, if it is there.
    void scanSegment(std::uint64_t number, const std::uint64_t* listed);
    void lose(std::uint64_t count, SpoolLoss why);
    /// Writes _index to disk; on failure removes it, so that it never lists a deleted segment.
    void saveIndex();
    /// The record at `offset` of `segment` (cached); false after reporting damage there, counting
    /// the samples of the segment but the `samplesBefore` that precede `offset` as dropped.
    bool readRecord(SpoolSegment& segment, std::uint64_t offset, std::uint64_t samplesBefore,
                    const Record*& record);
    void damaged(SpoolSegment& segment, std::uint64_t offset, std::uint64_t samplesBefore,
                 const std::string& what);
    void retireHead();
    void dropHead();
    void makeRoom(std::uint64_t recordBytes);
    void startSegment();
    void closeSegment();
    void writeRecord(const std::string& record, std::size_t samples);
    /// Writes the header's count (final when `closing`) and flushes the segment to the disk.
    void sync(bool closing = false);
    /// Flushes `fd` of `path` here, or hands it to _flusher.
    void flushToDisk(int fd, SpoolFlusher::Kind kind, const std::string& path);
    int readDescriptor(const SpoolSegment& segment);

    const std::string _directory;
    const std::uint64_t _sizeBound;
    const std::uint64_t _segmentSize;
    Poco::Logger& _logger;
    LossHandler _lost;

    std::deque<SpoolSegment> _segments;  ///< oldest first; the last is written to while _writeFd >= 0
    std::uint64_t _nextNumber = 1;
    std::uint64_t _pending = 0;
    std::uint64_t _bytes = 0;
    std::uint64_t _headSkip = 0;  ///< samples of the head segment from its offset on already consumed
    SpoolIndex _index;            ///< what the index file says: every segment but the one written to

    Record _cached;
    std::string _record;  ///< append()'s, kept so that a record does not allocate its buffer again
    std::vector<Peeked> _peeked;
    int _lockFd = -1;
    int _writeFd = -1;
    int _readFd = -1;
    std::uint64_t _readNumber = 0;
    bool _unsynced = false;
    std::int64_t _lastSync = 0;
    std::unique_ptr<SpoolFlusher> _flusher;  ///< with SpoolFlush::Background
};

}  // namespace citysense
