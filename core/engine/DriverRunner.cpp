#include "DriverRunner.h"

#include "CurrentException.h"

#include <citysense/DropCounts.h>

#include <Poco/Logger.h>

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

void DriverRunner::start() {
    _thread = std::thread([this] { run(); });
}

void DriverRunner::run() {
    try {
        eventDriven() ? eventLoop() : pollLoop();
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

void DriverRunner::fanOutToPipelines(SampleBatch& batch) {
    if (batch.empty())
        return;
    {
        std::lock_guard<std::mutex> lock(_statusMutex);
        _status.read += batch.size();
    }
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

void DriverRunner::pollLoop() {
    Micros next = steadyMicros();
    while (!_stop.stopRequested()) {
        bool ok = true;
        Micros wait = _interval;
        try {
            ensureOpen();
            SampleBatch batch;
            _watch.call("read()", [&] { _driver->read(batch); });
            fanOutToPipelines(batch);
            succeeded();
        } catch (const CallWatch::Abandoned&) {
            throw;
        } catch (...) {
            ok = false;
            wait = failed(std::string(_open ? "read" : "open") + " failed: " + currentExceptionText());
            closeDevice();
        }
        const Micros now = steadyMicros();
        // Reads keep their cadence; ticks missed by a slow read are skipped, not made up in a burst.
        next = ok ? next + _interval : now + wait;
        if (next <= now)
            next = now + _interval - (now - next) % _interval;
        _stop.waitFor(next - now);
    }
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
    status.droppedByReason = _driver->dropCounts().byReason();
    return status;
}

}  // namespace citysense
