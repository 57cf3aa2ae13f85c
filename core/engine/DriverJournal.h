// The journal of a driver that emits durably (Emitter::emitDurably): each batch is on disk before it
// enters the pipelines, and stays there until every sink it went to has settled it (delivered it,
// put it in its spool, or dropped and counted it: SinkBacklog::settled()). A host killed even with
// SIGKILL finds at its next start what its sinks had not settled and replays it before the driver
// starts, so a driver whose source sends again what it did not acknowledge (an MQTT broker at QoS 1)
// acknowledges once emitDurably() returned and still loses nothing.
//
// - On disk it is a Spool (Spool.h) in `<spool_dir>/driver.NAME`: one write(2) per record, which a
//   SIGKILL cannot undo, flushed to the disk at most once a second (a power loss may cost that second)
//   on a thread of the journal's own (SpoolFlush::Background): the driver's thread, which acknowledges
//   to its source, never waits for the disk.
// - Each batch handed over is noted with the count of samples each sink had been pushed right after
//   it; the batch is settled once every sink's settled count reached that mark. Sinks settle in
//   order, so the journal is trimmed from its head, at every batch and entirely when the host stops,
//   by count (Spool::discard()): nothing is read back, and a segment is deleted once all of it is
//   settled.
// - Delivery is at least once: the spool keeps no read position on disk, so after a kill the
//   segments not yet deleted (an eighth of the bound each) are replayed whole, settled samples
//   included, and a reload replays what the sinks handed over to their successors; the readings
//   table's key (sensor, time) stores such a reading once. The bound is small so that this stays a
//   few ten thousand samples, well within a sink's queue.
// - A filter that holds samples (the window filter's period) takes them out of the guarantee: they
//   count as settled when they enter it, and its aggregate is lost with the process.
// - Its size is bounded (kJournalSizeBound); when full, the oldest samples leave the journal (the
//   sinks still have them) and a warning says how many are no longer protected against a crash.
//
// Not thread-safe: DriverRunner serializes the calls.
#pragma once

#include "SinkBacklog.h"
#include "Spool.h"

#include <citysense/Sample.h>

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

namespace Poco {
class Logger;
}

namespace citysense {

class DriverJournal {
public:
    /// About 80,000 messages of a sample or two (a record each): far more than sinks keep unsettled.
    static constexpr std::uint64_t kJournalSizeBound = 8 * 1024 * 1024;

    /// A journal in `directory` for batches that go to `sinks`; nothing is opened yet.
    DriverJournal(std::string directory, std::vector<const SinkBacklog*> sinks, Poco::Logger& logger);
    /// Trims what is settled and logs what is not (it is replayed at the next start).
    ~DriverJournal();
    DriverJournal(const DriverJournal&) = delete;
    DriverJournal& operator=(const DriverJournal&) = delete;

    /// An earlier run left a journal in `directory`.
    static bool existsIn(const std::string& directory);

    /// Opens the journal, creating its directory; false after logging why it cannot be (another
    /// process holds it, no permission).
    bool open();
    bool isOpen() const { return _spool != nullptr; }

    /// What an earlier run left, oldest first. It stays in the journal: hand it to the pipelines and
    /// call handedOver() with its size.
    SampleBatch leftOver();

    /// Appends the samples; how many the disk took (all unless it refused, which is logged).
    std::size_t write(const SampleBatch& batch);

    /// The `count` samples written (or left over) last are in the pipelines now.
    void handedOver(std::uint64_t count);

    /// Removes the settled samples from the head, without reading them.
    void trim();

    /// Samples the journal holds.
    std::uint64_t pending() const;

    const std::string& directory() const { return _directory; }

private:
    /// The spool dropped its oldest samples (full, or damaged): they leave the entries too.
    void forget(std::uint64_t count, const char* why);
    /// Removes the oldest entry and its marks.
    void dropHeadEntry();

    const std::string _directory;
    const std::vector<const SinkBacklog*> _sinks;
    Poco::Logger& _logger;
    std::unique_ptr<Spool> _spool;
    /// The batches handed over, oldest first: each one's size, and in _settledAt, per sink, the pushed
    /// count it is settled at (_sinks.size() marks a batch, in one container: no allocation a batch).
    std::deque<std::uint64_t> _entries;
    std::deque<std::uint64_t> _settledAt;
    std::vector<std::uint64_t> _settledNow;  ///< trim()'s reading of the sinks' settled counts
    std::uint64_t _unentered = 0;            ///< samples at the journal's tail not handed over yet
    bool _writeFailing = false;
};

}  // namespace citysense
