// Runs one sink instance on its own thread: takes the oldest of its backlog (SinkBacklog.h: a
// bounded memory queue and, with a spool, the spool on disk behind it), writes it, backs off and
// reports the sink's state while writes fail. Drivers only queue, so a slow or dead sink never
// blocks them or other sinks. Samples the sink can never write are found (PoisonSearch.h) and set
// aside (SinkBacklog::setAside()), so that they do not hold up what follows.
#pragma once

#include "Backoff.h"
#include "InstanceStatus.h"
#include "PoisonSearch.h"
#include "SinkBacklog.h"

#include <citysense/Sink.h>

#include <deque>
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

    void start();

    /// Queues the samples (taking them out of `batch`). When the queue is full the oldest queued
    /// samples make room and are counted as dropped.
    void enqueue(SampleBatch&& batch) { _backlog.push(std::move(batch)); }

    /// Delivers what is queued (retrying a failing sink until `drainTimeout` has passed; what is
    /// still queued then is counted as dropped), closes the sink and joins the thread. With a
    /// spool, what a failing sink leaves, or what is left at the deadline, is kept in the spool.
    void stop(Micros drainTimeout);

    /// The two halves of stop(), so that several sinks drain at once against one deadline
    /// (a wall-clock time, nowMicros()).
    void beginDrain(Micros deadline);
    void join();

    /// For a reload: stops after the write in progress (a failing one is not retried), closes the
    /// sink and the spool and returns what is still queued in memory, in order, for the sink that
    /// replaces this one (which delivers what the spool holds first).
    std::deque<SampleBatch> stopAndTakeQueue();

    InstanceStatus status() const;
    const std::string& name() const { return _sink->instanceName(); }

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
    bool writeFirst(SampleBatch& batch, std::size_t count, Failure& failure);
    /// The head of `batch` failed alone max_attempts times: sends the last sample the sink took again
    /// (or, in a fresh runner, the one behind the head) and, if the sink takes it, tries the head once
    /// more, setting it aside if that fails. False when the sink did not take the probe.
    bool probe(SampleBatch& batch, Failure& failure);
    void closeSink();

    std::unique_ptr<Sink> _sink;
    Micros _batchInterval = 0;
    SinkBacklog _backlog;
    Backoff _backoff;
    PoisonSearch _search;
    std::optional<Sample> _lastWritten;  ///< the probe of a poison search
    bool _open = false;

    mutable std::mutex _statusMutex;
    InstanceStatus _status;  ///< the backlog reports its own part
    std::thread _thread;
};

}  // namespace citysense
