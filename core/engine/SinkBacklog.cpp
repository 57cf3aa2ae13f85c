#include "SinkBacklog.h"

#include "DeadLetterFile.h"

#include <Poco/Logger.h>

#include <algorithm>
#include <chrono>
#include <filesystem>

namespace citysense {

namespace {

constexpr Micros kDropWarningInterval = 10 * kMicrosPerSecond;

}  // namespace

SinkBacklog::SinkBacklog(std::size_t queueLimit, SpoolSettings spool, Poco::Logger& logger)
    : _queueLimit(queueLimit), _spoolSettings(std::move(spool)), _logger(logger) {}

void SinkBacklog::countDropped(std::uint64_t count, const char* why) {
    _dropped += count;
    _dropsSinceWarning += count;
    const Micros now = nowMicros();
    if (now - _lastDropWarning >= kDropWarningInterval) {
        _logger.warning("dropped " + std::to_string(_dropsSinceWarning) + " samples (" + why + ")");
        _lastDropWarning = now;
        _dropsSinceWarning = 0;
    }
}

void SinkBacklog::push(SampleBatch&& batch) {
    if (batch.empty())
        return;
    {
        std::lock_guard<std::mutex> lock(_mutex);
        std::uint64_t first = _pushed;
        _pushed += batch.size();
        if (batch.size() > _queueLimit) {
            const std::size_t excess = batch.size() - _queueLimit;
            batch.erase(batch.begin(), batch.begin() + static_cast<std::ptrdiff_t>(excess));
            countDropped(excess, "queue full");
            first += excess;
        }
        while (_queued + batch.size() > _queueLimit) {
            SampleBatch& oldest = _queue.front();
            const std::size_t excess = std::min(oldest.size(), _queued + batch.size() - _queueLimit);
            oldest.erase(oldest.begin(), oldest.begin() + static_cast<std::ptrdiff_t>(excess));
            _queued -= excess;
            _queueFrom += excess;
            if (oldest.empty())
                _queue.pop_front();
            countDropped(excess, "queue full");
        }
        if (_queued == 0)
            _queueFrom = first;
        _queued += batch.size();
        _queue.push_back(std::move(batch));
    }
    // After letting go of the lock: woken while it is still held, the sink's thread would wake only
    // to wait for it, a second context switch for one push.
    _changed.notify_one();
}

void SinkBacklog::beginDrain(Micros deadline) {
    {
        std::lock_guard<std::mutex> lock(_mutex);
        if (_ending != Ending::HandingOver)
            _ending = Ending::Draining;
        _drainDeadline = deadline;
    }
    _changed.notify_all();
}

void SinkBacklog::beginHandOver() {
    {
        std::lock_guard<std::mutex> lock(_mutex);
        _ending = Ending::HandingOver;
    }
    _changed.notify_all();
}

std::deque<SampleBatch> SinkBacklog::takeQueue() {
    std::lock_guard<std::mutex> lock(_mutex);
    std::deque<SampleBatch> queue;
    queue.swap(_queue);
    if (_queued > 0) {
        // Handed over, not settled: settled() stays before them for good.
        _takenFrom = _queueFrom;
        _taken = _queued;
    }
    _queued = 0;
    return queue;
}

void SinkBacklog::report(InstanceStatus& status) const {
    std::lock_guard<std::mutex> lock(_mutex);
    status.queued = _queued;
    status.dropped = _dropped;
    status.spooled = _spooled;
    status.spoolPending = _spoolPending;
    status.spoolDamaged = _spoolDamaged;
    status.deadLettered = _deadLettered;
}

std::uint64_t SinkBacklog::pushed() const {
    std::lock_guard<std::mutex> lock(_mutex);
    return _pushed;
}

std::uint64_t SinkBacklog::settled() const {
    std::lock_guard<std::mutex> lock(_mutex);
    return settledLocked();
}

std::uint64_t SinkBacklog::settledLocked() const {
    if (_taken > 0)
        return _takenFrom;
    return _queued > 0 ? _queueFrom : _pushed;
}

bool SinkBacklog::farBehind() const {
    const std::uint64_t lead = std::min<std::uint64_t>(kDurableLead, _queueLimit / 2);
    std::lock_guard<std::mutex> lock(_mutex);
    return _pushed - settledLocked() > lead;
}

void SinkBacklog::openExistingSpool() {
    std::error_code error;
    if (!_spoolSettings.directory.empty() && std::filesystem::is_directory(_spoolSettings.directory, error))
        openSpool();
}

SampleBatch SinkBacklog::takeOldest(std::size_t most, Micros gatherFor) {
    std::unique_lock<std::mutex> lock(_mutex);
    // Everything in the spool is older than everything in memory.
    while (_spool && _spool->pending() > 0) {
        if (!mayGoOn(lock))
            return {};
        lock.unlock();
        SampleBatch batch = _spool->peek(most);
        lock.lock();
        _spoolPending = _spool->pending();
        if (!batch.empty()) {
            _takenFromSpool = true;
            return batch;
        }
    }
    _changed.wait(lock, [this] { return !_queue.empty() || _ending != Ending::None; });
    // Sinks that pay per write (a database transaction) get fuller batches.
    if (gatherFor > 0 && _queued < most)
        _changed.wait_for(lock, std::chrono::microseconds(gatherFor),
                          [&] { return _queued >= most || _ending != Ending::None; });
    if (_queue.empty() || !mayGoOn(lock))
        return {};
    _takenFromSpool = false;
    return takeFromMemory(most);
}

bool SinkBacklog::mayGoOn(std::unique_lock<std::mutex>& lock) {
    if (_ending == Ending::HandingOver)
        return false;  // the memory queue and the spool stay as they are for the replacing runner
    if (_ending == Ending::Draining && nowMicros() >= _drainDeadline) {
        // A slow sink that still delivers stops at the deadline too.
        keepOrDrop(lock, "not delivered within shutdown_timeout");
        return false;
    }
    return true;
}

SampleBatch SinkBacklog::takeFromMemory(std::size_t most) {
    SampleBatch out;
    _takenFrom = _queueFrom;
    while (!_queue.empty() && out.size() < most) {
        SampleBatch& front = _queue.front();
        const std::size_t room = most - out.size();
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
    _taken = out.size();
    _queueFrom += out.size();
    return out;
}

void SinkBacklog::delivered(const SampleBatch& batch) {
    if (!_takenFromSpool) {
        settleTaken({});
        return;
    }
    _spool->consume(batch.size());
    bool crowded = false;
    {
        std::lock_guard<std::mutex> lock(_mutex);
        _spoolPending = _spool->pending();
        crowded = _queued > 0 && _queued >= (_queueLimit + 1) / 2;
    }
    // Replaying a long outage takes a while: what arrives meanwhile waits on disk, not dropped.
    if (crowded)
        spill();
}

void SinkBacklog::giveBack(SampleBatch&& samples) {
    if (_takenFromSpool || samples.empty())
        return;  // still in the spool, where the next peek finds them
    // The tail of what was taken goes back in front of the memory queue; the head is still taken.
    std::lock_guard<std::mutex> lock(_mutex);
    _taken -= std::min<std::uint64_t>(samples.size(), _taken);
    _queueFrom = _takenFrom + _taken;
    _queued += samples.size();
    _queue.push_front(std::move(samples));
}

void SinkBacklog::setAside(const SampleBatch& samples, const std::string& reason) {
    std::string outcome = "; dropped (without a spool there is no dead-letter file)";
    bool kept = false;
    if (usesSpool() && ensureSpool()) {
        DeadLetterFile file(_spoolSettings.directory + "/dead-letters", _spoolSettings.deadLetterBound);
        try {
            kept = file.append(samples, _logger.name(), reason);
            outcome = kept ? "; kept in " + file.path()
                           : "; dropped: the dead-letter file " + file.path() + " is full (" +
                                 std::to_string(_spoolSettings.deadLetterBound) + " bytes)";
        } catch (const std::runtime_error& error) {
            outcome = std::string("; dropped: ") + error.what();
        }
    }
    _logger.error(std::to_string(samples.size()) + " sample(s) set aside, the sink cannot write them (" +
                  reason + ")" + outcome);
    if (_takenFromSpool)
        _spool->consume(samples.size());
    else
        settleTaken({});  // the samples set aside were all that was taken
    std::lock_guard<std::mutex> lock(_mutex);
    (kept ? _deadLettered : _dropped) += samples.size();
    if (_spool)
        _spoolPending = _spool->pending();
}

SinkBacklog::AfterFailure SinkBacklog::failed(SampleBatch& batch, Micros retryDelay) {
    if (_takenFromSpool)
        return spillWhileFailing(retryDelay) ? AfterFailure::TakeOldest : stopAfterFailure();
    // Handing over, the batch stays in memory as without a spool: the replacing runner takes it.
    if (usesSpool() && !handingOver() && ensureSpool()) {
        // The spool is empty here, so the batch becomes its oldest.
        const std::size_t stored = store(batch);
        settleTaken(SampleBatch(batch.begin() + static_cast<std::ptrdiff_t>(stored), batch.end()));
        return spillWhileFailing(retryDelay) ? AfterFailure::TakeOldest : stopAfterFailure();
    }
    if (waitBeforeRetry(retryDelay))
        return AfterFailure::RetrySame;
    settleTaken(std::move(batch));
    return stopAfterFailure();
}

SinkBacklog::AfterFailure SinkBacklog::stopAfterFailure() {
    std::unique_lock<std::mutex> lock(_mutex);
    if (_ending != Ending::HandingOver)
        keepOrDrop(lock, "still undeliverable at shutdown");
    return AfterFailure::Stop;
}

bool SinkBacklog::handingOver() const {
    std::lock_guard<std::mutex> lock(_mutex);
    return _ending == Ending::HandingOver;
}

bool SinkBacklog::waitBeforeRetry(Micros delay) {
    std::unique_lock<std::mutex> lock(_mutex);
    const Micros until = nowMicros() + delay;
    for (;;) {
        const Micros now = nowMicros();
        const bool draining = _ending == Ending::Draining;
        const Micros end = draining ? std::min(until, _drainDeadline) : until;
        if (_ending == Ending::HandingOver || (draining && now >= _drainDeadline))
            return false;
        if (now >= end)
            return true;
        _changed.wait_for(lock, std::chrono::microseconds(end - now));
    }
}

bool SinkBacklog::openSpool() {
    try {
        _spool = std::make_unique<Spool>(_spoolSettings.directory, _spoolSettings.sizeBound, _logger,
                                         [this](std::uint64_t count, SpoolLoss why) {
                                             std::lock_guard<std::mutex> lock(_mutex);
                                             if (why == SpoolLoss::Damaged)
                                                 _spoolDamaged += count;  // the spool logs each case
                                             else
                                                 countDropped(count, spoolLossName(why));
                                         });
    } catch (const std::exception& error) {
        _spoolUnavailable = true;
        _logger.error(std::string("the spool is unavailable: ") + error.what() +
                      "; samples the sink cannot deliver wait in memory");
        return false;
    }
    std::lock_guard<std::mutex> lock(_mutex);
    _spoolPending = _spool->pending();
    return true;
}

bool SinkBacklog::ensureSpool() {
    if (_spool)
        return true;
    if (!usesSpool())
        return false;
    return openSpool();
}

bool SinkBacklog::spillWhileFailing(Micros retryDelay) {
    spill();
    {
        std::lock_guard<std::mutex> lock(_mutex);
        if (_ending != Ending::None)
            return false;
    }
    return waitSpilling(retryDelay);
}

bool SinkBacklog::waitSpilling(Micros delay) {
    const Micros until = nowMicros() + delay;
    std::unique_lock<std::mutex> lock(_mutex);
    bool spillFailed = false;
    for (;;) {
        if (_ending != Ending::None)
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

std::size_t SinkBacklog::store(const SampleBatch& batch) {
    std::size_t stored = batch.size();
    std::string problem;
    try {
        _spool->append(batch);
    } catch (const SpoolWriteError& error) {
        stored = error.stored();
        problem = error.what();
    }
    if (!problem.empty() && !_spoolWriteFailing)
        _logger.error("cannot write to the spool: " + problem + "; samples wait in memory");
    else if (problem.empty() && _spoolWriteFailing)
        _logger.notice("writing to the spool again");
    _spoolWriteFailing = !problem.empty();
    const std::uint64_t pending = _spool->pending();
    std::lock_guard<std::mutex> lock(_mutex);
    _spooled += stored;
    _spoolPending = pending;
    return stored;
}

bool SinkBacklog::spill() {
    std::deque<SampleBatch> batches;
    std::size_t count = 0;
    {
        std::lock_guard<std::mutex> lock(_mutex);
        batches.swap(_queue);
        count = _queued;
        _takenFrom = _queueFrom;
        _taken = count;
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
    samples.erase(samples.begin(), samples.begin() + static_cast<std::ptrdiff_t>(stored));
    const bool all = samples.empty();
    settleTaken(std::move(samples));
    return all;
}

void SinkBacklog::settleTaken(SampleBatch&& rest) {
    std::lock_guard<std::mutex> lock(_mutex);
    const std::uint64_t first = _takenFrom + (_taken - std::min<std::uint64_t>(rest.size(), _taken));
    _taken = 0;
    if (rest.empty())
        return;
    // The rest goes back in front of the memory queue: it is older than what the queue holds.
    _queued += rest.size();
    _queueFrom = first;
    _queue.push_front(std::move(rest));
}

void SinkBacklog::keepOrDrop(std::unique_lock<std::mutex>& lock, const char* why) {
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

void SinkBacklog::closeSpool() {
    if (!_spool)
        return;
    Ending ending = Ending::None;
    {
        std::lock_guard<std::mutex> lock(_mutex);
        ending = _ending;
    }
    const std::uint64_t pending = _spool->pending();
    if (ending == Ending::Draining && pending > 0)
        _logger.notice("stopping with " + std::to_string(pending) + " samples in the spool " +
                       _spool->directory() + ", to be delivered after the next start");
    else if (ending == Ending::HandingOver && pending > 0)
        _logger.information("handing over " + std::to_string(pending) + " samples in the spool " +
                            _spool->directory() + " to the sink that replaces this one");
    _spool.reset();  // releases the spool's lock for a runner that replaces this one
}

void SinkBacklog::abandon(const SampleBatch& inFlight) {
    // Not delivered as far as anyone knows: kept, and if the sink did deliver it after all, the
    // copy delivered again later is recognised by its (sensor, time) key.
    settleTaken(_takenFromSpool ? SampleBatch() : SampleBatch(inFlight));
    {
        std::unique_lock<std::mutex> lock(_mutex);
        if (_ending != Ending::HandingOver)
            keepOrDrop(lock, "its sink was abandoned");
    }
    closeSpool();
}

}  // namespace citysense
