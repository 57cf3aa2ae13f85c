#include "DriverRunner.h"

#include "CurrentException.h"
#include "ReadGrid.h"

#include <citysense/DropCounts.h>

#include <Poco/Logger.h>

#include <algorithm>
#include <chrono>

namespace citysense {

DriverRunner::DriverRunner(std::unique_ptr<Driver> driver, std::string plugin, Micros interval,
                           Micros maxBackoff)
    : _driver(std::move(driver)), _boundary(*_driver), _interval(interval), _backoff(interval, maxBackoff) {
    _status.name = _driver->instanceName();
    _status.plugin = std::move(plugin);
}

DriverRunner::~DriverRunner() {
    stop();
}

void DriverRunner::feed(Pipeline* pipeline) {
    _pipelines.push_back(pipeline);
    for (const SinkRunner* sink : pipeline->sinks())
        if (std::find(_sinkBacklogs.begin(), _sinkBacklogs.end(), &sink->backlog()) == _sinkBacklogs.end())
            _sinkBacklogs.push_back(&sink->backlog());
}

void DriverRunner::start(PollScheduler* polls) {
    replayJournal();
    if (polls && !eventDriven())
        polls->add(*this);
    else
        _thread = std::thread([this] { run(steadyMicros()); });
}

void DriverRunner::run(Micros nextRead) {
    try {
        eventDriven() ? eventLoop() : pollLoop(nextRead);
        closeDevice();
    } catch (const CallWatch::Abandoned&) {
        return;  // the host gave up on this runner: nothing of it may be touched any more
    }
    _watch.finished();
}

bool DriverRunner::stop(Micros deadline) {
    _stop.requestStop();
    if (_thread.joinable()) {
        if (!_watch.waitUntil(deadline)) {
            _thread.detach();
            return false;
        }
        _thread.join();
    }
    std::lock_guard<std::mutex> lock(_statusMutex);
    _status.state = InstanceState::Stopped;
    return true;
}

void DriverRunner::closeJournal() {
    std::lock_guard<std::mutex> lock(_journalMutex);
    _journal.reset();
}

void DriverRunner::ensureOpen() {
    if (!_open) {
        _watch.call("open()", [this] { _driver->open(); });
        _open = true;
    }
}

void DriverRunner::closeDevice() {
    if (!_open)
        return;
    _open = false;
    try {
        _watch.call("close()", [this] { _driver->close(); });
    } catch (const CallWatch::Abandoned&) {
        throw;
    } catch (...) {
        _driver->logger().error("close failed: " + currentExceptionText());
    }
}

void DriverRunner::emit(SampleBatch& batch) {
    const bool taken = _watch.unlessAbandoned([&] {
        fanOutToPipelines(batch);
        succeeded();
    });
    if (!taken)
        batch.clear();  // the host gave up on this instance: what it emits now goes nowhere
}

void DriverRunner::emitDurably(SampleBatch& batch) {
    waitForSinksToCatchUp();
    const bool taken = _watch.unlessAbandoned([&] {
        std::lock_guard<std::mutex> lock(_journalMutex);
        DriverJournal* const journal = openJournal();
        // On disk first: once the journal has the samples, a crash cannot lose them.
        const std::size_t journaled = journal && !batch.empty() ? journal->write(batch) : 0;
        fanOutToPipelines(batch);
        if (journaled > 0) {
            journal->handedOver(journaled);
            journal->trim();
        }
        if (journal)
            _journalPending = journal->pending();
        succeeded();
    });
    if (!taken)
        batch.clear();  // the host gave up on this instance: what it emits now goes nowhere
}

void DriverRunner::waitForSinksToCatchUp() {
    // Rechecked, not woken: a sink settles on its own delivering thread, and a wake-up would have to
    // reach a driver waiting on several backlogs and its stop request at once.
    constexpr Micros kRecheckAfter = 2000;
    const auto farBehind = [this] {
        return std::any_of(_sinkBacklogs.begin(), _sinkBacklogs.end(),
                           [](const SinkBacklog* sink) { return sink->farBehind(); });
    };
    if (!farBehind())
        return;
    _driver->countEvent("held_back_for_sinks");
    while (!_stop.waitFor(kRecheckAfter) && farBehind()) {
    }
}

void DriverRunner::announce(const Announcement& announcement) {
    _watch.unlessAbandoned([&] {
        for (Pipeline* pipeline : _pipelines)
            pipeline->announce(announcement);
    });
}

DriverJournal* DriverRunner::openJournal() {
    if (_journal)
        return _journal->isOpen() ? _journal.get() : nullptr;
    if (_journalDirectory.empty()) {
        if (!_journalUnavailable)
            _driver->logger().warning(
                "emits durably, but spool_dir is empty: there is no journal, and a crash loses what "
                "the sinks have not delivered yet");
        _journalUnavailable = true;
        return nullptr;
    }
    _journal = std::make_unique<DriverJournal>(_journalDirectory, _sinkBacklogs, _driver->logger());
    // Opened once per runner: a journal another process holds stays unavailable until a restart or
    // reload (logged once).
    return _journal->open() ? _journal.get() : nullptr;
}

void DriverRunner::replayJournal() {
    if (_journalDirectory.empty() || !DriverJournal::existsIn(_journalDirectory))
        return;
    std::lock_guard<std::mutex> lock(_journalMutex);
    DriverJournal* const journal = openJournal();
    if (!journal)
        return;
    SampleBatch left = journal->leftOver();
    if (left.empty())
        return;
    _driver->logger().notice("replaying " + std::to_string(left.size()) + " samples the journal " +
                             journal->directory() +
                             " kept from an earlier run (at least once: sinks may get some twice)");
    constexpr std::size_t kMostPerBatch = 1000;
    for (std::size_t first = 0; first < left.size(); first += kMostPerBatch) {
        const auto begin = left.begin() + static_cast<std::ptrdiff_t>(first);
        SampleBatch batch(begin,
                          begin + static_cast<std::ptrdiff_t>(std::min(kMostPerBatch, left.size() - first)));
        const std::size_t count = batch.size();
        deliver(batch);
        journal->handedOver(count);
    }
    _journalPending = journal->pending();
}

void DriverRunner::fanOutToPipelines(SampleBatch& batch) {
    if (batch.empty())
        return;
    {
        std::lock_guard<std::mutex> lock(_statusMutex);
        _status.read += batch.size();
    }
    deliver(batch);
}

void DriverRunner::deliver(SampleBatch& batch) {
    _boundary.admit(batch);
    if (batch.empty())
        return;
    if (_latest)
        _latest->record(batch);
    for (std::size_t i = 0; i + 1 < _pipelines.size(); ++i)
        _pipelines[i]->filterAndEnqueue(SampleBatch(batch));
    if (!_pipelines.empty())
        _pipelines.back()->filterAndEnqueue(std::move(batch));
    batch.clear();
}

void DriverRunner::succeeded() {
    std::lock_guard<std::mutex> lock(_statusMutex);
    if (_status.state == InstanceState::Failing)
        _driver->logger().notice("reading again");
    _status.state = InstanceState::Running;
    _status.message.clear();
    _backoff.reset();
}

Micros DriverRunner::failed(const std::string& what) {
    std::lock_guard<std::mutex> lock(_statusMutex);
    _status.state = InstanceState::Failing;
    _status.message = what;
    ++_status.failures;
    const Micros delay = _backoff.next();
    _driver->logger().warning(what + "; retrying in " + formatDuration(delay));
    return delay;
}

void DriverRunner::pollLoop(Micros next) {
    while (!_stop.waitFor(next - steadyMicros())) {
        SampleBatch batch;
        next = pollOnce(next, batch);
        fanOutToPipelines(batch);
    }
}

Micros DriverRunner::pollOnce(Micros scheduled, SampleBatch& batch) {
    bool ok = true;
    Micros wait = _interval;
    try {
        ensureOpen();
        _watch.call("read()", [&] { _driver->read(batch); });
        succeeded();
    } catch (const CallWatch::Abandoned&) {
        throw;
    } catch (...) {
        ok = false;
        batch.clear();  // what a failed read left behind is not a reading
        wait = failed(std::string(_open ? "read" : "open") + " failed: " + currentExceptionText());
        closeDevice();
    }
    // The next read on the interval's grid (ReadGrid.h), or after the backoff.
    const Micros now = steadyMicros();
    return ok ? nextReadOnGrid(scheduled, now, _interval) : now + wait;
}

void DriverRunner::eventLoop() {
    while (!_stop.stopRequested()) {
        Micros wait = 0;
        try {
            ensureOpen();
            _watch.call("run()", [this] { _driver->run(*this, _stop); });
            if (_stop.stopRequested())
                break;
            wait = failed("run() ended without a stop request");
        } catch (const CallWatch::Abandoned&) {
            throw;
        } catch (...) {
            wait = failed(std::string(_open ? "run" : "open") + " failed: " + currentExceptionText());
        }
        closeDevice();
        _stop.waitFor(wait);
    }
}

bool DriverRunner::readOnce() {
    replayJournal();
    if (eventDriven()) {
        _driver->logger().information("event-driven: not read in --once");
        return true;
    }
    try {
        ensureOpen();
        SampleBatch batch;
        _driver->read(batch);
        fanOutToPipelines(batch);
        closeDevice();
        return true;
    } catch (...) {
        failed(std::string(_open ? "read" : "open") + " failed: " + currentExceptionText());
        closeDevice();
        return false;
    }
}

InstanceStatus DriverRunner::status() const {
    InstanceStatus status;
    {
        std::lock_guard<std::mutex> lock(_statusMutex);
        status = _status;
    }
    status.journalPending = _journalPending;
    status.droppedByReason = _driver->dropCounts().byReason();
    return status;
}

}  // namespace citysense
