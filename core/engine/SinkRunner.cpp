#include "SinkRunner.h"

#include "CurrentException.h"

#include <Poco/Logger.h>

#include <chrono>

namespace citysense {

namespace {

constexpr Micros kDropWarningInterval = 10 * kMicrosPerSecond;

}  // namespace

SinkRunner::SinkRunner(std::unique_ptr<Sink> sink, std::string plugin, std::size_t queueLimit,
                       std::size_t batchSize, Backoff retry)
    : _sink(std::move(sink)),
      _plugin(std::move(plugin)),
      _queueLimit(queueLimit),
      _batchSize(batchSize),
      _backoff(retry) {
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

void SinkRunner::countDropped(std::size_t count, const char* why) {
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
    std::unique_lock<std::mutex> lock(_mutex);
    for (;;) {
        _changed.wait(lock, [this] { return !_queue.empty() || _draining || _handingOver; });
        if (_queue.empty() || _handingOver)
            break;
        if (_draining && nowMicros() >= _drainDeadline) {
            // A slow sink that still delivers stops at the deadline too.
            countDropped(_queued, "not delivered within shutdown_timeout");
            _queue.clear();
            _queued = 0;
            break;
        }
        SampleBatch batch = takeBatch(lock);
        lock.unlock();
        const bool delivered = deliver(batch);
        lock.lock();
        if (!delivered && _handingOver) {
            _queued += batch.size();
            _queue.push_front(std::move(batch));
            break;
        }
        if (!delivered) {
            countDropped(batch.size() + _queued, "still undeliverable at shutdown");
            _queue.clear();
            _queued = 0;
            break;
        }
    }
    lock.unlock();
    if (_open) {
        try {
            _sink->close();
        } catch (...) {
            _sink->logger().error("close failed: " + currentExceptionText());
        }
    }
    std::lock_guard<std::mutex> relock(_mutex);
    _status.state = InstanceState::Stopped;
}

bool SinkRunner::deliver(const SampleBatch& batch) {
    for (;;) {
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
            const Micros delay = _backoff.next();
            {
                std::lock_guard<std::mutex> lock(_mutex);
                _status.state = InstanceState::Failing;
                _status.message = reason;
                ++_status.failures;
            }
            _sink->logger().warning(std::string(_open ? "write" : "open") + " failed: " + reason +
                                    "; retrying in " + formatDuration(delay));
            if (!waitBeforeRetry(delay))
                return false;
        }
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
