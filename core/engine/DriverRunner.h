// Runs one driver instance: polls it on its interval, aligned to that interval's grid (ReadGrid.h),
// from a PollScheduler's reader with other drivers or on a thread of its own, or lets an
// event-driven driver run on its own thread; hands its samples to the pipelines it feeds, and backs
// off while it fails. A driver is never called concurrently with itself, and a slow
// one delays nobody else. What an event-driven driver emits durably goes through its journal
// (DriverJournal.h) first; a journal an earlier run left is replayed when the runner starts, before
// the driver does.
#pragma once

#include "Backoff.h"
#include "CallWatch.h"
#include "DriverBoundary.h"
#include "DriverJournal.h"
#include "InstanceStatus.h"
#include "Pipeline.h"
#include "PollScheduler.h"

#include <citysense/Driver.h>
#include <citysense/LatestReadings.h>
#include <citysense/StopToken.h>

#include <atomic>
#include <limits>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace citysense {

class DriverRunner : private Emitter {
public:
    DriverRunner(std::unique_ptr<Driver> driver, std::string plugin, Micros interval, Micros maxBackoff);
    ~DriverRunner() override;

    /// Before start(): hands what the driver delivers to `pipeline` too.
    void feed(Pipeline* pipeline);
    /// Records every batch the driver delivers in `latest` too (the engine's, which drivers look up).
    void recordLatestIn(LatestReadings& latest) { _latest = &latest; }
    /// Before start(): keeps what the driver emits durably in a journal in `directory`
    /// (`<spool_dir>/driver.NAME`); without one, emitDurably() is emit().
    void journalIn(std::string directory) { _journalDirectory = std::move(directory); }

    /// Starts reading: a polled driver by `polls`, when given, else (and an event-driven driver
    /// always) on a thread of its own. A runner read by `polls` is stopped by stopping `polls` first.
    void start(PollScheduler* polls = nullptr);
    void requestStop() { _stop.requestStop(); }
    /// Requests a stop and waits for the thread, which closes the driver. False if the thread was
    /// still inside a call into the driver at `deadline` (a nowMicros() time): then the runner is
    /// abandoned (CallWatch.h), its thread detached, and it must never be destroyed.
    bool stop(Micros deadline = std::numeric_limits<Micros>::max());
    /// The call the runner was abandoned in ("read()").
    std::string abandonedIn() const { return _watch.abandonedIn(); }
    /// After stop(), once the sinks have stopped too: trims the journal and closes it; what no sink
    /// settled stays in it for the next start.
    void closeJournal();

    /// For `--once`: replays what the journal kept from an earlier run, then opens, reads a polled
    /// driver once, delivers, closes. False if that failed.
    bool readOnce();

    bool eventDriven() const { return _driver->eventDriven(); }
    std::vector<Channel> channels() const { return _driver->channels(); }
    const std::string& name() const { return _driver->instanceName(); }
    InstanceStatus status() const;

private:
    friend class PollScheduler;

    /// Emitter for event-driven drivers: fan out, and count as a sign of life.
    void emit(SampleBatch& batch) override;
    /// Emitter: journals, fans out, counts as a sign of life; may come from a callback thread.
    void emitDurably(SampleBatch& batch) override;
    /// Returns once no sink this driver feeds is far behind (SinkBacklog::farBehind()), or on a stop
    /// request. A source that emits durably keeps what it has not acknowledged (a broker's queue), so
    /// it waits here rather than overflow a sink's queue, which would drop acknowledged readings. Each
    /// emit that waits is counted as the driver's event `held_back_for_sinks` (/metrics).
    void waitForSinksToCatchUp();
    /// Emitter: hands another station's announcement to every pipeline this driver feeds.
    void announce(const Announcement& announcement) override;
    /// Counts the samples as read and hands those that pass the driver boundary on (deliver()).
    void fanOutToPipelines(SampleBatch& batch);
    /// Records them as the latest readings and hands them to every pipeline this driver feeds.
    void deliver(SampleBatch& batch);
    /// Opens the journal an earlier run left, if any, and delivers what it holds.
    void replayJournal();
    /// The journal, opened if need be; null without one or when it cannot be opened.
    DriverJournal* openJournal();
    /// The thread: the loop (a polled driver's next read due at `nextRead`), then closing the driver.
    void run(Micros nextRead);
    /// Reads at `next` (a steadyMicros() time), then on the grid or the backoff, until stopped.
    void pollLoop(Micros next);
    /// Reads once into `batch` (the read was due at `scheduled`), which the caller then hands on
    /// (fanOutToPipelines()); returns when the next read is due.
    Micros pollOnce(Micros scheduled, SampleBatch& batch);
    void eventLoop();
    void ensureOpen();
    void closeDevice();
    void succeeded();
    /// Records a failure; returns how long to wait before the next attempt.
    Micros failed(const std::string& what);

    std::unique_ptr<Driver> _driver;
    const DriverBoundary _boundary;
    const Micros _interval;
    Backoff _backoff;
    std::vector<Pipeline*> _pipelines;
    /// The backlogs of the sinks of every pipeline fed, each once: what a durable emit waits for,
    /// and what the journal settles by.
    std::vector<const SinkBacklog*> _sinkBacklogs;
    LatestReadings* _latest = nullptr;
    std::string _journalDirectory;
    std::mutex _journalMutex;  // emitDurably() and closeJournal() one at a time
    std::unique_ptr<DriverJournal> _journal;
    std::atomic<std::uint64_t> _journalPending{0};  ///< for status(), which must not wait on the journal
    bool _journalUnavailable = false;
    StopToken _stop;
    CallWatch _watch;
    bool _open = false;
    mutable std::mutex _statusMutex;
    InstanceStatus _status;
    std::thread _thread;
};

}  // namespace citysense
