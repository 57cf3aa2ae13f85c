// Runs one sink instance on its own thread behind a bounded queue, so a slow or dead sink never
// blocks drivers or other sinks.
#pragma once

#include "Backoff.h"
#include "InstanceStatus.h"

#include <citysense/Sink.h>

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>

namespace citysense {

class SinkRunner {
public:
    /// `retry` spaces the attempts while the sink fails.
    SinkRunner(std::unique_ptr<Sink> sink, std::string plugin, std::size_t queueLimit, std::size_t batchSize,
               Backoff retry);
    ~SinkRunner();

    void start();

    /// Queues the samples (taking them out of `batch`). When the queue is full the oldest queued
    /// samples make room and are counted as dropped.
    void enqueue(SampleBatch&& batch);

    /// Delivers what is queued (retrying a failing sink until `drainTimeout` has passed; what is
    /// still queued then is counted as dropped), closes the sink and joins the thread.
    void stop(Micros drainTimeout);

    /// The two halves of stop(), so that several sinks drain at once against one deadline
    /// (a wall-clock time, nowMicros()).
    void beginDrain(Micros deadline);
    void join();

    /// For a reload: stops after the write in progress (a failing one is not retried), closes the
    /// sink and returns what is still queued, in order, for the sink that replaces this one.
    std::deque<SampleBatch> stopAndTakeQueue();

    InstanceStatus status() const;
    const std::string& name() const { return _sink->instanceName(); }

private:
    void loop();
    SampleBatch takeBatch(std::unique_lock<std::mutex>& lock);
    bool deliver(const SampleBatch& batch);
    bool waitBeforeRetry(Micros delay);
    void countDropped(std::size_t count, const char* why);

    std::unique_ptr<Sink> _sink;
    const std::string _plugin;
    const std::size_t _queueLimit;
    const std::size_t _batchSize;

    mutable std::mutex _mutex;
    std::condition_variable _changed;
    std::deque<SampleBatch> _queue;
    std::size_t _queued = 0;
    bool _draining = false;
    bool _handingOver = false;
    Micros _drainDeadline = 0;

    bool _open = false;
    Backoff _backoff;
    InstanceStatus _status;
    Micros _lastDropWarning = 0;
    std::uint64_t _dropsSinceWarning = 0;
    std::thread _thread;
};

}  // namespace citysense
