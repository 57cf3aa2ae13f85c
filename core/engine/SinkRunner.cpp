#include "SinkRunner.h"

#include "CurrentException.h"

#include <citysense/DropCounts.h>

#include <Poco/Logger.h>

namespace citysense {

SinkRunner::SinkRunner(std::unique_ptr<Sink> sink, std::string plugin, std::size_t queueLimit,
                       std::size_t batchSize, Backoff retry, SpoolSettings spool)
    : _sink(std::move(sink)),
      _batchSize(batchSize),
      _backlog(queueLimit, std::move(spool), _sink->logger()),
      _backoff(retry) {
    _status.name = _sink->instanceName();
    _status.plugin = std::move(plugin);
}

SinkRunner::~SinkRunner() {
    if (_thread.joinable())
        stop(0);
}

void SinkRunner::start() {
    _status.state = InstanceState::Running;
    _thread = std::thread([this] { loop(); });
}

void SinkRunner::loop() {
    try {
        _backlog.openExistingSpool();  // a restarted host delivers what its spool holds before anything new
        while (writeOldestWithRetry()) {
        }
        closeSink();
    } catch (const CallWatch::Abandoned&) {
        return;  // the stopping thread has taken over the backlog and the spool
    }
    _backlog.closeSpool();
    {
        std::lock_guard<std::mutex> lock(_statusMutex);
        _status.state = InstanceState::Stopped;
    }
    _watch.finished();
}

bool SinkRunner::writeOldestWithRetry() {
    _inFlight = _backlog.takeOldest(_batchSize, _batchInterval);
    if (_inFlight.empty())
        return false;
    for (;;) {
        Micros retryDelay = 0;
        if (attempt(_inFlight, retryDelay)) {
            _backlog.delivered(_inFlight);
            _inFlight.clear();
            return true;
        }
        const auto next = _backlog.failed(_inFlight, retryDelay);
        if (next != SinkBacklog::AfterFailure::RetrySame) {
            _inFlight.clear();
            return next == SinkBacklog::AfterFailure::TakeOldest;
        }
    }
}

bool SinkRunner::attempt(const SampleBatch& batch, Micros& retryDelay) {
    try {
        if (!_open) {
            _watch.call("open()", [this] { _sink->open(); });
            _open = true;
        }
        _watch.call("write()", [&] { _sink->write(batch); });
        std::lock_guard<std::mutex> lock(_statusMutex);
        _status.delivered += batch.size();
        if (_status.state == InstanceState::Failing) {
            _sink->logger().notice("delivering again");
            _status.state = InstanceState::Running;
            _status.message.clear();
        }
        _backoff.reset();
        return true;
    } catch (const CallWatch::Abandoned&) {
        throw;
    } catch (...) {
        const std::string reason = currentExceptionText();
        retryDelay = _backoff.next();
        {
            std::lock_guard<std::mutex> lock(_statusMutex);
            _status.state = InstanceState::Failing;
            _status.message = _backlog.spoolUnavailable()
                                  ? reason + " (the spool is unavailable: samples wait in memory)"
                                  : reason;
            ++_status.failures;
        }
        _sink->logger().warning(std::string(_open ? "write" : "open") + " failed: " + reason +
                                "; retrying in " + formatDuration(retryDelay));
        return false;
    }
}

void SinkRunner::closeSink() {
    if (!_open)
        return;
    try {
        _watch.call("close()", [this] { _sink->close(); });
    } catch (const CallWatch::Abandoned&) {
        throw;
    } catch (...) {
        _sink->logger().error("close failed: " + currentExceptionText());
    }
}

void SinkRunner::stop(Micros drainTimeout) {
    beginDrain(nowMicros() + drainTimeout);
    join();
}

void SinkRunner::beginDrain(Micros deadline) {
    _backlog.beginDrain(deadline);
}

bool SinkRunner::join(Micros giveUpAt) {
    if (!_thread.joinable())
        return true;
    if (!_watch.waitUntil(giveUpAt)) {
        _thread.detach();
        _backlog.abandon(_inFlight);
        return false;
    }
    _thread.join();
    return true;
}

std::deque<SampleBatch> SinkRunner::stopAndTakeQueue(Micros giveUpAt) {
    _backlog.beginHandOver();
    join(giveUpAt);
    return _backlog.takeQueue();
}

InstanceStatus SinkRunner::status() const {
    InstanceStatus status;
    {
        std::lock_guard<std::mutex> lock(_statusMutex);
        status = _status;
    }
    _backlog.report(status);
    status.droppedByReason = _sink->dropCounts().byReason();
    return status;
}

}  // namespace citysense
