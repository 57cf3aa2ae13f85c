#include "PollScheduler.h"

#include "DriverRunner.h"

#include <citysense/Options.h>

#include <Poco/Logger.h>

#include <algorithm>
#include <chrono>

namespace citysense {

PollScheduler::PollScheduler(Micros handOffAfter) : _handOffAfter(handOffAfter) {}

PollScheduler::~PollScheduler() {
    stop();
}

void PollScheduler::add(DriverRunner& runner) {
    std::lock_guard<std::mutex> lock(_mutex);
    _entries.push_back({&runner, steadyMicros()});
    if (_timer) {
        _wake.notify_all();
        return;
    }
    _timer = std::make_unique<OverrunTimer>([this] { overrun(); });
    startReader();
}

void PollScheduler::stop() {
    std::unique_lock<std::mutex> lock(_mutex);
    if (!_timer)
        return;
    _stopping = true;
    _wake.notify_all();
    _ended.wait(lock, [this] { return _readerEnded; });
    std::thread reader = std::move(_reader);
    std::unique_ptr<OverrunTimer> timer = std::move(_timer);
    lock.unlock();
    reader.join();
    timer.reset();  // after the reader: no call is watched any more
}

std::size_t PollScheduler::handedOff() const {
    std::lock_guard<std::mutex> lock(_mutex);
    return _handedOff;
}

void PollScheduler::startReader() {
    _place = std::make_shared<std::atomic<Place>>(Place::Between);
    _reader = std::thread([this, place = _place] { read(place); });
}

void PollScheduler::read(const Reader& place) {
    std::unique_lock<std::mutex> lock(_mutex);
    bool armed = false;
    for (;;) {
        if (_stopping) {
            send(lock);
            if (closeAll(place, lock)) {
                _readerEnded = true;
                _ended.notify_all();
            }
            return;
        }
        // The driver due first; drivers asked to stop wait for the end, unread.
        const auto first =
            std::min_element(_entries.begin(), _entries.end(), [](const Entry& a, const Entry& b) {
                return !a.runner->_stop.stopRequested() && (b.runner->_stop.stopRequested() || a.due < b.due);
            });
        const Micros now = steadyMicros();
        if (first == _entries.end() || first->runner->_stop.stopRequested() || first->due > now) {
            if (send(lock))
                continue;  // the lock was let go meanwhile: what is due may have changed
            if (armed)
                _timer->disarm();  // an expiry now would be a wake-up for nothing
            armed = false;
            if (first == _entries.end() || first->runner->_stop.stopRequested())
                _wake.wait(lock);
            else
                _wake.wait_for(lock, std::chrono::microseconds(first->due - now));
            continue;
        }
        DriverRunner& runner = *first->runner;
        if (unsent(runner)) {
            send(lock);  // read again before the tick ended: what it read before goes first
            continue;
        }
        const Micros due = first->due;
        armed = true;
        Micros next = 0;
        SampleBatch batch;
        switch (watched(place, runner, lock, [&] { next = runner.pollOnce(due, batch); })) {
            case After::StillReader:
                break;
            case After::HandedOff:
                // The thread is the runner's now, and the scheduler may be gone: it goes on alone.
                runner.fanOutToPipelines(batch);
                runner.run(next);
                return;
            case After::Abandoned:
                return;  // nothing of the host may be touched any more
        }
        for (Entry& entry : _entries) {
            if (entry.runner == &runner)
                entry.due = next;
        }
        if (!batch.empty())
            _unsent.push_back({&runner, std::move(batch)});
    }
}

bool PollScheduler::send(std::unique_lock<std::mutex>& lock) {
    if (_unsent.empty())
        return false;
    std::vector<Read> reads;
    reads.swap(_unsent);
    lock.unlock();
    for (Read& read : reads)
        read.runner->fanOutToPipelines(read.batch);
    lock.lock();
    return true;
}

bool PollScheduler::unsent(const DriverRunner& runner) const {
    return std::any_of(_unsent.begin(), _unsent.end(),
                       [&](const Read& read) { return read.runner == &runner; });
}

bool PollScheduler::closeAll(const Reader& place, std::unique_lock<std::mutex>& lock) {
    while (!_entries.empty()) {
        DriverRunner& runner = *_entries.back().runner;
        _entries.pop_back();
        const After after = watched(place, runner, lock, [&] { runner.closeDevice(); });
        if (after == After::HandedOff)
            runner.run(steadyMicros());  // stopped: closes it (it is closed) and ends
        if (after != After::StillReader)
            return false;
    }
    if (_timer)
        _timer->disarm();
    return true;
}

template <typename Call>
PollScheduler::After PollScheduler::watched(const Reader& place, DriverRunner& runner,
                                            std::unique_lock<std::mutex>& lock, Call&& call) {
    const Micros began = steadyMicros();
    _inCall = &runner;
    _callBegan = began;
    place->store(Place::InCall);
    // Under the lock: once it is let go, a hand-off may begin and the scheduler end without this thread.
    _timer->arm(began + _handOffAfter);
    lock.unlock();
    try {
        call();
    } catch (const CallWatch::Abandoned&) {
        // Only a runner with a thread of its own is ever abandoned (the host abandons runners after
        // stop(), which hands off every call it would wait for): this thread is the runner's.
        return After::Abandoned;
    }
    Place expected = Place::InCall;
    if (!place->compare_exchange_strong(expected, Place::Between))
        return After::HandedOff;
    lock.lock();
    _inCall = nullptr;
    return After::StillReader;
}

void PollScheduler::overrun() {
    std::lock_guard<std::mutex> lock(_mutex);
    if (!_inCall || !_place || _place->load() != Place::InCall)
        return;  // the call ended in time after all
    const Micros handOffAt = _callBegan + _handOffAfter;
    if (steadyMicros() < handOffAt) {
        _timer->arm(handOffAt);  // an expiry meant for an earlier call
        return;
    }
    Place expected = Place::InCall;
    if (!_place->compare_exchange_strong(expected, Place::HandedOff))
        return;
    DriverRunner* runner = _inCall;
    _inCall = nullptr;
    _entries.erase(std::remove_if(_entries.begin(), _entries.end(),
                                  [runner](const Entry& entry) { return entry.runner == runner; }),
                   _entries.end());
    runner->_driver->logger().notice(
        "a call took longer than " + formatDuration(_handOffAfter) +
        ": read on a thread of its own from now on, so that it delays no other driver");
    runner->_thread = std::move(_reader);
    ++_handedOff;
    startReader();
}

}  // namespace citysense
