// Runs one sink instance on its own thread behind a bounded queue, so a slow or dead sink never
// blocks drivers or other sinks. With a spool, what the sink cannot deliver goes to disk and is
// delivered from there, oldest first, once the sink works again.
#pragma once

#include "Backoff.h"
#include "InstanceStatus.h"
#include "Spool.h"

#include <citysense/Sink.h>

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>

namespace citysense {

class SinkRunner {
public:
    /// `retry` spaces the attempts while the sink fails. Without a spool directory, samples wait for
    /// a failing sink in memory only.
    SinkRunner(std::unique_ptr<Sink> sink, std::string plugin, std::size_t queueLimit, std::size_t batchSize,
               Backoff retry, SpoolSettings spool = {});
    ~SinkRunner();

    /// Before start(): how long a write waits for its batch to fill (up to batch_size) once the first
    /// sample is queued; 0 (the default) writes what is queued at once.
    void setBatchInterval(Micros interval) { _batchInterval = interval; }

    void start();

    /// Queues the samples (taking them out of `batch`). When the queue is full the oldest queued
    /// samples make room and are counted as dropped.
    void enqueue(SampleBatch&& batch);

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
    enum class Outcome { Delivered, Spooled, Stopping, Failed };

    void loop();
    SampleBatch takeBatch(std::unique_lock<std::mutex>& lock);
    /// One write; false after recording the failure, with the wait before the next attempt.
    bool attempt(const SampleBatch& batch, Micros& retryDelay);
    /// Writes, retrying until it works; false if the runner stops first.
    bool deliver(const SampleBatch& batch);
    bool waitBeforeRetry(Micros delay);
    void countDropped(std::uint64_t count, const char* why);

    // The spool is the runner thread's alone; its drop handler takes _mutex, so appending, peeking
    // and consuming happen without it. Drivers never wait for the disk.
    bool openSpool();
    bool ensureSpool();
    Outcome deliverOrSpool(const SampleBatch& batch);
    bool replayFromSpool(std::unique_lock<std::mutex>& lock);
    bool spoolAfterFailure(Micros retryDelay);
    std::size_t store(const SampleBatch& batch);
    bool spill();
    void putBack(std::deque<SampleBatch>&& batches);
    bool waitSpilling(Micros delay);
    void keepOrDrop(std::unique_lock<std::mutex>& lock, const char* why);
    void noteSpool();

    std::unique_ptr<Sink> _sink;
    const std::string _plugin;
    const std::size_t _queueLimit;
    const std::size_t _batchSize;
    Micros _batchInterval = 0;

    mutable std::mutex _mutex;
    std::condition_variable _changed;
    std::deque<SampleBatch> _queue;
    std::size_t _queued = 0;
    bool _draining = false;
    bool _handingOver = false;
    Micros _drainDeadline = 0;

    bool _open = false;
    Backoff _backoff;
    const SpoolSettings _spoolSettings;
    std::unique_ptr<Spool> _spool;
    bool _spoolUnavailable = false;
    bool _spoolWriteFailing = false;
    InstanceStatus _status;
    Micros _lastDropWarning = 0;
    std::uint64_t _dropsSinceWarning = 0;
    std::thread _thread;
};

}  // namespace citysense
