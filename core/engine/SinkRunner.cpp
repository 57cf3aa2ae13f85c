#include "SinkRunner.h"

#include "CurrentException.h"

#include <citysense/DropCounts.h>

#include <Poco/Logger.h>

namespace citysense {

SinkRunner::SinkRunner(std::unique_ptr<Sink> sink, std::string plugin, std::size_t queueLimit,
                       std::size_t batchSize, Backoff retry, SpoolSettings spool, unsigned maxAttempts)
    : _sink(std::move(sink)),
      _backlog(queueLimit, std::move(spool), _sink->logger()),
      _backoff(retry),
      _search(batchSize, maxAttempts) {
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
    _inFlight = _backlog.takeOldest(_search.takeSize(), _batchInterval);
    if (_inFlight.empty())
        return false;
    const bool more = deliverInFlight();
    _inFlight.clear();
    return more;
}

bool SinkRunner::deliverInFlight() {
    SampleBatch& batch = _inFlight;
    for (;;) {
        Failure failure;
        if (_search.probing() && (_lastWritten || batch.size() > 1)) {
            if (probe(batch, failure))
                return true;
            _search.probeFailed();
        } else {
            if (writeFirst(batch, _search.writeSize(), failure)) {
                _backlog.delivered(batch);
                _search.written();
                return true;
            }
            switch (_search.failed(batch.size(), failure.permanent)) {
                case PoisonSearch::Verdict::Poison:
                    _backlog.setAside(batch, "refused: " + failure.reason);
                    return true;
                case PoisonSearch::Verdict::Halve:
                    _backlog.giveBack(std::move(batch));
                    return true;
                case PoisonSearch::Verdict::Retry:
                    break;
            }
        }
        switch (_backlog.failed(batch, failure.retryDelay)) {
            case SinkBacklog::AfterFailure::RetrySame:
                break;
            case SinkBacklog::AfterFailure::TakeOldest:
                return true;
            case SinkBacklog::AfterFailure::Stop:
                return false;
        }
    }
}

bool SinkRunner::writeFirst(SampleBatch& batch, std::size_t count, Failure& failure) {
    if (batch.size() > count) {
        _backlog.giveBack(SampleBatch(batch.begin() + static_cast<std::ptrdiff_t>(count), batch.end()));
        batch.resize(count);
    }
    if (!attempt(batch, failure))
        return false;
    std::lock_guard<std::mutex> lock(_statusMutex);
    _status.delivered += batch.size();
    return true;
}

bool SinkRunner::probe(SampleBatch& batch, Failure& failure) {
    // A sample the sink took already is sent again (a duplicate, which at-least-once delivery allows,
    // and no step back in the order); only a fresh runner has none and sends the next one, which may
    // then arrive before the head.
    const Sample probeSample = _lastWritten ? *_lastWritten : batch[1];
    if (!attempt(SampleBatch{probeSample}, failure))
        return false;
    _sink->logger().notice("the sink took a sample again after " + std::to_string(_search.maxAttempts()) +
                           " failed attempts at the next one alone: trying that once more");
    Failure again;
    if (writeFirst(batch, 1, again))
        _backlog.delivered(batch);
    else
        _backlog.setAside(batch,
                          "failed " + std::to_string(_search.maxAttempts() + 1) +
                              " times, the last right after the sink took another sample: " + again.reason);
    _search.settled();
    return true;
}

bool SinkRunner::attempt(const SampleBatch& batch, Failure& failure) {
    try {
        if (!_open) {
            _watch.call("open()", [this] { _sink->open(); });
            _open = true;
        }
        deliverAnnouncements();
        _watch.call("write()", [&] { _sink->write(batch); });
        _lastWritten = batch.back();
        std::lock_guard<std::mutex> lock(_statusMutex);
        if (_status.state == InstanceState::Failing) {
            _sink->logger().notice("delivering again");
            _status.state = InstanceState::Running;
            _status.message.clear();
        }
        _backoff.reset();
        return true;
    } catch (const CallWatch::Abandoned&) {
        throw;
    } catch (const PermanentWriteError& error) {
        // From write() only: a sink that cannot open is down, whatever it says.
        failure.reason = error.what();
        failure.permanent = _open && _search.maxAttempts() > 0;
    } catch (...) {
        failure.reason = currentExceptionText();
    }
    // A refusal of the data is no outage: its halves are written at once.
    failure.retryDelay = failure.permanent ? 0 : _backoff.next();
    {
        std::lock_guard<std::mutex> lock(_statusMutex);
        _status.state = InstanceState::Failing;
        _status.message = _backlog.spoolUnavailable()
                              ? failure.reason + " (the spool is unavailable: samples wait in memory)"
                              : failure.reason;
        ++_status.failures;
    }
    _sink->logger().warning(std::string(_open ? "write" : "open") + " failed: " + failure.reason +
                            (failure.permanent
                                 ? "; the sink refuses " + std::to_string(batch.size()) + " sample(s)"
                                 : "; retrying in " + formatDuration(failure.retryDelay)));
    return false;
}

void SinkRunner::announce(const Announcement& announcement) {
    if (!_takesAnnouncements)
        return;
    if (!_announcements.offer(announcement))
        _sink->countDropped("announcement_limit", 1,
                            "the announcement of " + announcement.station.system + "/" +
                                announcement.station.city + "/" + announcement.station.street + ": " +
                                std::to_string(PendingAnnouncements::kMaxStations) +
                                " other stations wait already");
}

void SinkRunner::deliverAnnouncements() {
    if (_announcements.empty())
        return;
    try {
        _announcements.handOver([this](const Announcement& announcement) {
            try {
                _watch.call("announce()", [&] { _sink->announce(announcement); });
            } catch (const PermanentWriteError& error) {
                // Refused for what it says, it would be refused again: counted, not offered again.
                _sink->countDropped("announcement_refused", 1,
                                    "the announcement of " + announcement.station.system + "/" +
                                        announcement.station.city + "/" + announcement.station.street + ": " +
                                        error.what());
            }
        });
    } catch (const CallWatch::Abandoned&) {
        throw;
    } catch (...) {
        _sink->logger().warning("announce failed: " + currentExceptionText() +
                                "; offered again before the next write");
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
