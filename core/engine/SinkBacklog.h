// What one sink has yet to deliver, in two tiers: a bounded queue in memory and, for a sink with a
// spool, the spool on disk (Spool.h) behind it. Its ordering rules:
//
// - The oldest goes first, and everything in the spool is older than everything in memory: the
//   spool is delivered before the memory queue, including a spool left by an earlier run (after a
//   restart, or by the runner this one replaces on a reload).
// - A full memory queue makes room by dropping its oldest samples, counted as dropped.
// - A failed write of a batch from memory stores that batch in the spool, where it becomes the
//   oldest, and the memory queue is spilled after it; while the sink fails, what arrives is
//   spilled too, so the memory queue stays near empty and a killed host loses little. While the
//   spool is replayed, a memory queue half full is spilled as well rather than dropped. What the
//   disk refuses stays at the front of the memory queue.
// - Without a spool (none configured, or it cannot be opened or locked) a failed batch is retried
//   as it is and everything else waits in memory.
// - Samples the sink can never write (SinkRunner's poison search) are set aside: into the dead-letter
//   file in the spool directory (DeadLetterFile.h), or, without a spool or with that file full,
//   dropped; either way counted and logged with the reason.
// - Draining (a stop): delivering goes on until the deadline; with a spool, a failed write ends it
//   at once. What memory still holds then goes to the spool, for the next start; without a spool it
//   is counted as dropped.
// - Handing over (a reload): nothing goes to the spool. The memory queue, with a batch whose write
//   failed back at its front, goes in order to the runner that replaces this one (takeQueue()), and
//   the spool stays on disk for it, released by closeSpool().
// - Settling, for drivers' journals (DriverJournal.h): a sample is settled once it is delivered, in
//   the spool, or dropped and counted. settled() counts the pushed samples from the first up to the
//   oldest one that is not: in memory, being written, or handed over (it may lag behind, never run
//   ahead). A driver that emits durably waits while its sinks are far behind (farBehind()): its
//   source keeps what it has not acknowledged, so the queue need not drop it.
//
// push(), beginDrain(), beginHandOver(), takeQueue(), report(), pushed(), settled() and farBehind()
// may be called from any thread;
// everything else from the one delivering thread only. The spool is that thread's alone and is
// used without holding the lock, so producers never wait for the disk.
#pragma once

#include "InstanceStatus.h"
#include "Spool.h"

#include <citysense/Sample.h>
#include <citysense/Time.h>

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>

namespace Poco {
class Logger;
}

namespace citysense {

class SinkBacklog {
public:
    /// What the delivering thread does after a failed write.
    enum class AfterFailure {
        RetrySame,   ///< the retry delay has passed: write the same batch again (no spool)
        TakeOldest,  ///< the batch is in the spool: take the oldest again
        Stop,        ///< the runner stops; the backlog has kept (or counted) what it holds
    };

    /// Drops and spool problems are logged to `logger` (the sink's).
    SinkBacklog(std::size_t queueLimit, SpoolSettings spool, Poco::Logger& logger);

    /// Queues the samples in memory (taking them out of `batch`), dropping the oldest queued ones
    /// when the queue is full.
    void push(SampleBatch&& batch);

    /// Asks the delivering thread to deliver until `deadline` (a wall-clock time) and then stop.
    void beginDrain(Micros deadline);

    /// Asks the delivering thread to stop after the write in progress, for a reload.
    void beginHandOver();

    /// Once the delivering thread has stopped: what the memory queue holds, in order.
    std::deque<SampleBatch> takeQueue();

    /// Fills in the backlog's part of a sink's status: queued, dropped, spooled, spoolPending,
    /// spoolDamaged, deadLettered.
    void report(InstanceStatus& status) const;

    /// Samples pushed so far, the dropped ones included.
    std::uint64_t pushed() const;
    /// How many of the pushed samples, from the first on, are settled (see above).
    std::uint64_t settled() const;

    /// Most samples a source that can wait (Emitter::emitDurably) may have unsettled in this backlog:
    /// far below what the memory queue holds by default, and what a driver's journal holds
    /// (DriverJournal::kJournalSizeBound), while many batches ahead of the sink.
    static constexpr std::uint64_t kDurableLead = 20000;
    /// More unsettled samples than kDurableLead, or than half the queue's limit when that is lower.
    bool farBehind() const;

    /// Opens the spool if its directory exists already, so that what it holds goes first.
    void openExistingSpool();

    /// The oldest samples, at most `most` (waiting for some to arrive; with `gatherFor` > 0, also
    /// up to that long for `most` of them). Empty when the delivering thread is to stop: when
    /// handing over, when drained, or at the drain deadline.
    SampleBatch takeOldest(std::size_t most, Micros gatherFor);

    /// The batch takeOldest() returned, or its first samples, was written.
    void delivered(const SampleBatch& batch);

    /// The samples at the end of what takeOldest() returned that are not written now: back to the
    /// front of the memory queue (the spool still holds what it returned).
    void giveBack(SampleBatch&& samples);

    /// The first samples of what takeOldest() returned can never be written: into the dead-letter file
    /// with the reason, or dropped; counted and logged either way.
    void setAside(const SampleBatch& samples, const std::string& reason);

    /// The batch takeOldest() returned was not written; `retryDelay` is the wait before the next
    /// attempt, spent spilling what arrives to the spool. On Stop, `batch` has been kept or counted.
    AfterFailure failed(SampleBatch& batch, Micros retryDelay);

    /// Releases the spool (after logging what it still holds), for a runner that replaces this one.
    void closeSpool();

    /// The delivering thread was abandoned inside a call into the sink (CallWatch.h), writing
    /// `inFlight` (empty if it was not writing); the calling thread stands in for it from now on.
    /// The batch goes back to the front of the memory queue, unless it came from the spool, where it
    /// still is. Then, draining, what memory holds goes to the spool or is counted as dropped;
    /// handing over, it stays for takeQueue(). The spool is released either way.
    void abandon(const SampleBatch& inFlight);

    /// The spool is configured but could not be opened: samples wait in memory.
    bool spoolUnavailable() const { return _spoolUnavailable; }

private:
    enum class Ending { None, Draining, HandingOver };

    bool usesSpool() const { return !_spoolSettings.directory.empty() && !_spoolUnavailable; }
    /// False when the delivering thread is to stop now: handing over, or past the drain deadline.
    bool mayGoOn(std::unique_lock<std::mutex>& lock);
    SampleBatch takeFromMemory(std::size_t most);
    bool handingOver() const;
    bool waitBeforeRetry(Micros delay);
    AfterFailure stopAfterFailure();
    void countDropped(std::uint64_t count, const char* why);
    std::uint64_t settledLocked() const;

    bool openSpool();
    bool ensureSpool();
    bool spillWhileFailing(Micros retryDelay);
    bool waitSpilling(Micros delay);
    std::size_t store(const SampleBatch& batch);
    bool spill();
    /// The samples last taken out of memory are settled, but for `rest`, the last of them, which go
    /// back to the front of the memory queue.
    void settleTaken(SampleBatch&& rest);
    void keepOrDrop(std::unique_lock<std::mutex>& lock, const char* why);

    const std::size_t _queueLimit;
    const SpoolSettings _spoolSettings;
    Poco::Logger& _logger;

    mutable std::mutex _mutex;
    std::condition_variable _changed;
    std::deque<SampleBatch> _queue;
    std::size_t _queued = 0;
    Ending _ending = Ending::None;
    Micros _drainDeadline = 0;
    std::uint64_t _dropped = 0;
    std::uint64_t _spooled = 0;
    std::uint64_t _spoolPending = 0;
    std::uint64_t _spoolDamaged = 0;
    std::uint64_t _deadLettered = 0;
    Micros _lastDropWarning = 0;
    std::uint64_t _dropsSinceWarning = 0;
    // Settling, in push order: samples pushed, the first in memory (a lower bound once drops left
    // gaps), and those taken out of memory and not settled yet (being written or spilled).
    std::uint64_t _pushed = 0;
    std::uint64_t _queueFrom = 0;
    std::uint64_t _takenFrom = 0;
    std::uint64_t _taken = 0;

    // The delivering thread's alone.
    std::unique_ptr<Spool> _spool;
    bool _spoolUnavailable = false;
    bool _spoolWriteFailing = false;
    bool _takenFromSpool = false;
};

}  // namespace citysense
