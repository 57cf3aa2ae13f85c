// Runs one sink instance on its own thread: takes the oldest of its backlog (SinkBacklog.h: a
// bounded memory queue and, with a spool, the spool on disk behind it), writes it, backs off and
// reports the sink's state while writes fail. Drivers only queue, so a slow or dead sink never
// blocks them or other sinks. Samples the sink can never write are found (PoisonSearch.h) and set
// aside (SinkBacklog::setAside()), so that they do not hold up what follows.
#pragma once

#include "Backoff.h"
#include "CallWatch.h"
#include "InstanceStatus.h"
#include "PendingAnnouncements.h"
#include "PoisonSearch.h"
#include "SinkBacklog.h"

#include <citysense/Sink.h>

#include <deque>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

namespace citysense {

class SinkRunner {
public:
    /// `retry` spaces the attempts while the sink fails. Without a spool directory, samples wait for
    /// a failing sink in memory only. `maxAttempts` (0: never) bounds the attempts at a sample before
    /// it may be set aside as poison (PoisonSearch.h).
    SinkRunner(std::unique_ptr<Sink> sink, std::string plugin, std::size_t queueLimit, std::size_t batchSize,
               Backoff retry, SpoolSettings spool = {}, unsigned maxAttempts = 0);
    ~SinkRunner();

    /// Before start(): how long a write waits for its batch to fill (up to batch_size) once the first
    /// sample is queued; 0 (the default) writes what is queued at once.
    void setBatchInterval(Micros interval) { _batchInterval = interval; }

    /// Before start(): whether the sink takes announcements (Sink::announce(), plugins of ABI 1.3 and
    /// later); without, announce() ignores them.
    void setTakesAnnouncements(bool takes) { _takesAnnouncements = takes; }

    void start();

    /// Hands `announcement` to the sink on its thread, once it is open and before its next write
    /// (PendingAnnouncements.h). May be called from any thread.
    void announce(const Announcement& announcement);

    /// Queues the samples (taking them out of `batch`). When the queue is full the oldest queued
    /// samples make room and are counted as dropped.
    void enqueue(SampleBatch&& batch) { _backlog.push(std::move(batch)); }

    /// Delivers what is queued (retrying a failing sink until `drainTimeout` has passed; what is
    /// still queued then is counted as dropped), closes the sink and joins the thread. With a
    /// spool, what a failing sink leaves, or what is left at the deadline, is kept in the spool.
    void stop(Micros drainTimeout);

    /// The two halves of stop(), so that several sinks drain at once against one deadline
    /// (a wall-clock time, nowMicros()). join() waits for the thread until `giveUpAt`: if the thread
    /// is inside a call into the sink then, the runner is abandoned (CallWatch.h; false): its
    /// thread is detached, what it queued, with the batch of that call, goes to the spool or is
    /// counted as dropped, and the runner must never be destroyed.
    void beginDrain(Micros deadline);
    bool join(Micros giveUpAt = std::numeric_limits<Micros>::max());

    /// For a reload: stops after the write in progress (a failing one is not retried), closes the
    /// sink and the spool and returns what is still queued in memory, in order, for the sink that
    /// replaces this one (which delivers what the spool holds first). If the write in progress has
    /// not returned by `giveUpAt`, the runner is abandoned as by join(), and the batch of that write
    /// is handed over too, ahead of the rest (unless it came from the spool, where it still is).
    std::deque<SampleBatch> stopAndTakeQueue(Micros giveUpAt = std::numeric_limits<Micros>::max());

    /// The call the runner was abandoned in ("write()"); empty if it was not.
    std::string abandonedIn() const { return _watch.abandonedIn(); }

    InstanceStatus status() const;
    const std::string& name() const { return _sink->instanceName(); }
    /// The sink's Sink::controlChannel(): only for a sink built for ABI 1.3 or later.
    ControlChannel* controlChannel() const { return _sink->controlChannel(); }
    /// How far the sink got with what it was given (pushed(), settled()), for drivers' journals.
    const SinkBacklog& backlog() const { return _backlog; }

private:
    void loop();
    /// Writes the oldest of the backlog, retrying while it fails; false when the runner stops.
    bool writeOldestWithRetry();
    /// Why a write failed.
    struct Failure {
        std::string reason;
        bool permanent = false;  ///< the sink refused the data (PermanentWriteError)
        Micros retryDelay = 0;   ///< the wait before the next attempt
    };
    /// One write; false after recording the failure.
    bool attempt(const SampleBatch& batch, Failure& failure);
    /// Writes the first `count` samples of `batch`, giving the rest back; false as attempt().
    /// Delivers _inFlight, the batch writeOldestWithRetry() took: written, set aside, given back in
    /// part, or kept by the backlog after a failure. False when the runner is to stop.
    bool deliverInFlight();
    bool writeFirst(SampleBatch& batch, std::size_t count, Failure& failure);
    /// The head of `batch` failed alone max_attempts times: sends the last sample the sink took again
    /// (or, in a fresh runner, the one behind the head) and, if the sink takes it, tries the head once
    /// more, setting it aside if that fails. False when the sink did not take the probe.
    bool probe(SampleBatch& batch, Failure& failure);
    void closeSink();
    /// On the runner's thread, with the sink open: hands it what waits. A failure is logged; what
    /// failed waits for the next write, unless the sink refused it (PermanentWriteError): that is counted
    /// as dropped (announcement_refused).
    void deliverAnnouncements();

    std::unique_ptr<Sink> _sink;
    Micros _batchInterval = 0;
    bool _takesAnnouncements = false;
    PendingAnnouncements _announcements;
    SinkBacklog _backlog;
    /// The batch being written: the thread's, and the stopping thread's once the runner is abandoned.
    SampleBatch _inFlight;
    Backoff _backoff;
    PoisonSearch _search;
    std::optional<Sample> _lastWritten;  ///< the probe of a poison search
    bool _open = false;

    mutable std::mutex _statusMutex;
    InstanceStatus _status;  ///< the backlog reports its own part
    CallWatch _watch;
    std::thread _thread;
};

}  // namespace citysense
