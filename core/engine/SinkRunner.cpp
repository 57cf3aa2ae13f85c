#include "SinkRunner.h"

#include "CurrentException.h"

#include <Poco/Logger.h>

#include <chrono>
#include <filesystem>

namespace citysense {

namespace {

constexpr Micros kDropWarningInterval = 10 * kMicrosPerSecond;

}  // namespace

SinkRunner::SinkRunner(std::unique_ptr<Sink> sink, std::string plugin, std::size_t queueLimit,
                       std::size_t batchSize, Backoff retry, SpoolSettings spool)
    : _sink(std::move(sink)),
      _plugin(std::move(plugin)),
      _queueLimit(queueLimit),
      _batchSize(batchSize),
      _backoff(retry),
      _spoolSettings(std::move(spool)) {
    _status.name = _sink->instanceName();
    _status.plugin = _plugin;
}

SinkRunner::~SinkRunner() {
    if (_thread.joinable())
        stop(0);
}

void SinkRunner::start() {
    _status.state = InstanceState::Running;
    _thread = std::thread([this] { loop(); });
}

void SinkRunner::countDropped(std::uint64_t count, const char* why) {
    _status.dropped += count;
    _dropsSinceWarning += count;
    const Micros now = nowMicros();
    if (now - _lastDropWarning >= kDropWarningInterval) {
        _sink->logger().warning("dropped " + std::to_string(_dropsSinceWarning) + " samples (" + why + ")");
        _lastDropWarning = now;
        _dropsSinceWarning = 0;
    }
}

void SinkRunner::enqueue(SampleBatch&& batch) {
    if (batch.empty())
        return;
    std::lock_guard<std::mutex> lock(_mutex);
    if (batch.size() > _queueLimit) {
        const std::size_t excess = batch.size() - _queueLimit;
        batch.erase(batch.begin(), batch.begin() + static_cast<std::ptrdiff_t>(excess));
        countDropped(excess, "queue full");
    }
    while (_queued + batch.size() > _queueLimit) {
        SampleBatch& oldest = _queue.front();
        const std::size_t excess = std::min(oldest.size(), _queued + batch.size() - _queueLimit);
        oldest.erase(oldest.begin(), oldest.begin() + static_cast<std::ptrdiff_t>(excess));
        _queued -= excess;
        if (oldest.empty())
            _queue.pop_front();
        countDropped(excess, "queue full");
    }
    _queued += batch.size();
    _queue.push_back(std::move(batch));
    _changed.notify_one();
}

SampleBatch SinkRunner::takeBatch(std::unique_lock<std::mutex>&) {
    SampleBatch out;
    while (!_queue.empty() && out.size() < _batchSize) {
        SampleBatch& front = _queue.front();
        const std::size_t room = _batchSize - out.size();
        if (front.size() <= room) {
            _queued -= front.size();
            if (out.empty())
                out = std::move(front);
            else
                out.insert(out.end(), front.begin(), front.end());
            _queue.pop_front();
        } else {
            const auto end = front.begin() + static_cast<std::ptrdiff_t>(room);
            out.insert(out.end(), front.begin(), end);
            front.erase(front.begin(), end);
            _queued -= room;
        }
    }
    return out;
}

void SinkRunner::loop() {
    std::error_code error;
    if (!_spoolSettings.directory.empty() && std::filesystem::is_directory(_spoolSettings.directory, error))
        openSpool();  // a restarted host delivers what its spool holds before anything new
    std::unique_lock<std::mutex> lock(_mutex);
    for (;;) {
        // Everything in the spool is older than everything in memory.
        if (_spool && _spool->pending() > 0) {
            if (!replayFromSpool(lock))
                break;
            continue;
        }
        _changed.wait(lock, [this] { return !_queue.empty() || _draining || _handingOver; });
        // Sinks that pay per write (a database transaction) get fuller batches.
        if (_batchInterval > 0 && _queued < _batchSize)
            _changed.wait_for(lock, std::chrono::microseconds(_batchInterval),
                              [this] { return _queued >= _batchSize || _draining || _handingOver; });
        if (_queue.empty() || _handingOver)
            break;
        if (_draining && nowMicros() >= _drainDeadline) {
            // A slow sink that still delivers stops at the deadline too.
            keepOrDrop(lock, "not delivered within shutdown_timeout");
            break;
        }
        SampleBatch batch = takeBatch(lock);
        lock.unlock();
        const Outcome outcome = deliverOrSpool(batch);
        lock.lock();
        if (outcome == Outcome::Delivered || outcome == Outcome::Spooled)
            continue;
        if (outcome == Outcome::Stopping) {
            if (!_handingOver)
                keepOrDrop(lock, "still undeliverable at shutdown");
            break;
        }
        if (_handingOver) {
            _queued += batch.size();
            _queue.push_front(std::move(batch));
            break;
        }
        countDropped(batch.size() + _queued, "still undeliverable at shutdown");
        _queue.clear();
        _queued = 0;
        break;
    }
    const bool draining = _draining;
    const bool handingOver = _handingOver;
    lock.unlock();
    if (_open) {
        try {
            _sink->close();
        } catch (...) {
            _sink->logger().error("close failed: " + currentExceptionText());
        }
    }
    if (_spool) {
        if (draining && _spool->pending() > 0)
            _sink->logger().notice("stopping with " + std::to_string(_spool->pending()) +
                                   " samples in the spool " + _spool->directory() +
                                   ", to be delivered after the next start");
        else if (handingOver && _spool->pending() > 0)
            _sink->logger().information("handing over " + std::to_string(_spool->pending()) +
                                        " samples in the spool " + _spool->directory() +
                                        " to the sink that replaces this one");
        _spool.reset();  // releases the spool's lock for a runner that replaces this one
    }
    std::lock_guard<std::mutex> relock(_mutex);
    _status.state = InstanceState::Stopped;
}

bool SinkRunner::attempt(const SampleBatch& batch, Micros& retryDelay) {
    try {
        if (!_open) {
            _sink->open();
            _open = true;
        }
        _sink->write(batch);
        std::lock_guard<std::mutex> lock(_mutex);
        _status.delivered += batch.size();
        if (_status.state == InstanceState::Failing) {
            _sink->logger().notice("delivering again");
            _status.state = InstanceState::Running;
            _status.message.clear();
        }
        _backoff.reset();
        return true;
    } catch (...) {
        const std::string reason = currentExceptionText();
        retryDelay = _backoff.next();
        {
            std::lock_guard<std::mutex> lock(_mutex);
            _status.state = InstanceState::Failing;
            _status.message =
                _spoolUnavailable ? reason + " (the spool is unavailable: samples wait in memory)" : reason;
            ++_status.failures;
        }
        _sink->logger().warning(std::string(_open ? "write" : "open") + " failed: " + reason +
                                "; retrying in " + formatDuration(retryDelay));
        return false;
    }
}

bool SinkRunner::deliver(const SampleBatch& batch) {
    for (;;) {
        Micros delay = 0;
        if (attempt(batch, delay))
            return true;
        if (!waitBeforeRetry(delay))
            return false;
    }
}

bool SinkRunner::waitBeforeRetry(Micros delay) {
    std::unique_lock<std::mutex> lock(_mutex);
    const Micros until = nowMicros() + delay;
    for (;;) {
        const Micros now = nowMicros();
        const Micros end = _draining ? std::min(until, _drainDeadline) : until;
        if (_handingOver || (_draining && now >= _drainDeadline))
            return false;
        if (now >= end)
            return true;
        _changed.wait_for(lock, std::chrono::microseconds(end - now));
    }
}

bool SinkRunner::openSpool() {
    try {
        _spool = std::make_unique<Spool>(_spoolSettings.directory, _spoolSettings.sizeBound, _sink->logger(),
                                         [this](std::uint64_t count, const char* why) {
                                             std::lock_guard<std::mutex> lock(_mutex);
                                             countDropped(count, why);
                                         });
    } catch (const std::exception& error) {
        _spoolUnavailable = true;
        _sink->logger().error(std::string("the spool is unavailable: ") + error.what() +
                              "; samples the sink cannot deliver wait in memory");
        return false;
    }
    noteSpool();
    return true;
}

bool SinkRunner::ensureSpool() {
    if (_spool)
        return true;
    if (_spoolSettings.directory.empty() || _spoolUnavailable)
        return false;
    return openSpool();
}

SinkRunner::Outcome SinkRunner::deliverOrSpool(const SampleBatch& batch) {
    if (_spoolSettings.directory.empty() || _spoolUnavailable)
        return deliver(batch) ? Outcome::Delivered : Outcome::Failed;
    Micros delay = 0;
    if (attempt(batch, delay))
        return Outcome::Delivered;
    {
        // Handed over in memory as without a spool: the replacing runner takes it from here.
        std::lock_guard<std::mutex> lock(_mutex);
        if (_handingOver)
            return Outcome::Failed;
    }
    if (!ensureSpool())
        return waitBeforeRetry(delay) && deliver(batch) ? Outcome::Delivered : Outcome::Failed;
    // The spool is empty here, so the batch becomes its oldest.
    const std::size_t stored = store(batch);
    if (stored < batch.size())
        putBack({SampleBatch(batch.begin() + static_cast<std::ptrdiff_t>(stored), batch.end())});
    return spoolAfterFailure(delay) ? Outcome::Spooled : Outcome::Stopping;
}

bool SinkRunner::replayFromSpool(std::unique_lock<std::mutex>& lock) {
    if (_handingOver)
        return false;  // the spool stays on disk for the runner that replaces this one
    if (_draining && nowMicros() >= _drainDeadline) {
        keepOrDrop(lock, "not delivered within shutdown_timeout");
        return false;
    }
    lock.unlock();
    const SampleBatch batch = _spool->peek(_batchSize);
    bool goOn = true;
    Micros delay = 0;
    if (!batch.empty() && attempt(batch, delay)) {
        _spool->consume(batch.size());
        bool crowded = false;
        {
            std::lock_guard<std::mutex> guard(_mutex);
            crowded = _queued > 0 && _queued >= (_queueLimit + 1) / 2;
        }
        // Replaying a long outage takes a while: what arrives meanwhile waits on disk, not dropped.
        if (crowded)
            spill();
    } else if (!batch.empty()) {
        goOn = spoolAfterFailure(delay);
    }
    noteSpool();
    lock.lock();
    if (!goOn && !_handingOver)
        keepOrDrop(lock, "still undeliverable at shutdown");
    return goOn;
}

bool SinkRunner::spoolAfterFailure(Micros retryDelay) {
    // During an outage the memory queue stays near empty, so a killed host loses little.
    spill();
    {
        std::lock_guard<std::mutex> lock(_mutex);
        if (_draining || _handingOver)
            return false;
    }
    return waitSpilling(retryDelay);
}

std::size_t SinkRunner::store(const SampleBatch& batch) {
    std::size_t stored = batch.size();
    std::string problem;
    try {
        _spool->append(batch);
    } catch (const SpoolWriteError& error) {
        stored = error.stored();
        problem = error.what();
    }
    if (!problem.empty() && !_spoolWriteFailing)
        _sink->logger().error("cannot write to the spool: " + problem + "; samples wait in memory");
    else if (problem.empty() && _spoolWriteFailing)
        _sink->logger().notice("writing to the spool again");
    _spoolWriteFailing = !problem.empty();
    const std::uint64_t pending = _spool->pending();
    std::lock_guard<std::mutex> lock(_mutex);
    _status.spooled += stored;
    _status.spoolPending = pending;
    return stored;
}

bool SinkRunner::spill() {
    std::deque<SampleBatch> batches;
    std::size_t count = 0;
    {
        std::lock_guard<std::mutex> lock(_mutex);
        batches.swap(_queue);
        count = _queued;
        _queued = 0;
    }
    if (batches.empty())
        return true;
    // One append for the whole queue: its records hold up to a thousand samples and their sources
    // once, not one driver batch of a few samples each with its sources again.
    SampleBatch samples;
    samples.reserve(count);
    for (const SampleBatch& batch : batches)
        samples.insert(samples.end(), batch.begin(), batch.end());
    batches.clear();
    const std::size_t stored = store(samples);
    if (stored < samples.size()) {
        samples.erase(samples.begin(), samples.begin() + static_cast<std::ptrdiff_t>(stored));
        batches.push_back(std::move(samples));
        putBack(std::move(batches));
        return false;
    }
    return true;
}

void SinkRunner::putBack(std::deque<SampleBatch>&& batches) {
    std::lock_guard<std::mutex> lock(_mutex);
    for (auto batch = batches.rbegin(); batch != batches.rend(); ++batch) {
        _queued += batch->size();
        _queue.push_front(std::move(*batch));
    }
}

bool SinkRunner::waitSpilling(Micros delay) {
    const Micros until = nowMicros() + delay;
    std::unique_lock<std::mutex> lock(_mutex);
    bool spillFailed = false;
    for (;;) {
        if (_handingOver || _draining)
            return false;
        if (!_queue.empty() && !spillFailed) {
            lock.unlock();
            spillFailed = !spill();
            lock.lock();
            continue;
        }
        const Micros now = nowMicros();
        if (now >= until)
            return true;
        // Wakes at least once a second to flush the spool to disk.
        _changed.wait_for(lock, std::chrono::microseconds(std::min(until - now, kMicrosPerSecond)));
        lock.unlock();
        _spool->syncIfDue();
        lock.lock();
        spillFailed = false;
    }
}

void SinkRunner::keepOrDrop(std::unique_lock<std::mutex>& lock, const char* why) {
    if (!_queue.empty() && !_spoolSettings.directory.empty()) {
        lock.unlock();
        if (ensureSpool())
            spill();
        lock.lock();
    }
    if (_queued > 0) {
        countDropped(_queued, why);
        _queue.clear();
        _queued = 0;
    }
}

void SinkRunner::noteSpool() {
    const std::uint64_t pending = _spool ? _spool->pending() : 0;
    std::lock_guard<std::mutex> lock(_mutex);
    _status.spoolPending = pending;
}

void SinkRunner::stop(Micros drainTimeout) {
    beginDrain(nowMicros() + drainTimeout);
    join();
}

void SinkRunner::beginDrain(Micros deadline) {
    {
        std::lock_guard<std::mutex> lock(_mutex);
        _draining = true;
        _drainDeadline = deadline;
    }
    _changed.notify_all();
}

void SinkRunner::join() {
    if (_thread.joinable())
        _thread.join();
}

std::deque<SampleBatch> SinkRunner::stopAndTakeQueue() {
    {
        std::lock_guard<std::mutex> lock(_mutex);
        _handingOver = true;
    }
    _changed.notify_all();
    if (_thread.joinable())
        _thread.join();
    std::lock_guard<std::mutex> lock(_mutex);
    _queued = 0;
    return std::move(_queue);
}

InstanceStatus SinkRunner::status() const {
    std::lock_guard<std::mutex> lock(_mutex);
    InstanceStatus status = _status;
    status.queued = _queued;
    return status;
}

}  // namespace citysense
