#include "SpoolFlusher.h"

#include "SystemError.h"

#include <Poco/Logger.h>

#include <fcntl.h>
#include <unistd.h>
#include <cerrno>
#include <chrono>

namespace citysense {

SpoolFlusher::SpoolFlusher(Poco::Logger& logger) : _logger(logger), _thread([this] { loop(); }) {}

SpoolFlusher::~SpoolFlusher() {
    {
        std::lock_guard<std::mutex> lock(_mutex);
        _stopping = true;
    }
    _wake.notify_one();
    _thread.join();
}

void SpoolFlusher::flush(int fd, Kind kind, const std::string& path) {
    const int copy = ::fcntl(fd, F_DUPFD_CLOEXEC, 0);
    if (copy < 0) {
        flushNow(fd, kind, path, _logger);
        return;
    }
    {
        std::lock_guard<std::mutex> lock(_mutex);
        if (kind == Kind::File && _later.path == path)
            dropLater();  // this flush covers it
        _requests.push_back({copy, kind, path});
    }
    _wake.notify_one();
}

void SpoolFlusher::flushLater(int fd, const std::string& path, Micros due) {
    {
        std::lock_guard<std::mutex> lock(_mutex);
        if (_later.fd >= 0 && _later.path == path)
            return;  // not started yet: it takes this write along
        dropLater();
        const int copy = ::fcntl(fd, F_DUPFD_CLOEXEC, 0);
        if (copy < 0) {
            flushNow(fd, Kind::File, path, _logger);
            return;
        }
        _later = {copy, Kind::File, path};
        _laterDue = due;
    }
    _wake.notify_one();
}

bool SpoolFlusher::busy() const {
    std::lock_guard<std::mutex> lock(_mutex);
    return _flushing || !_requests.empty();
}

std::uint64_t SpoolFlusher::flushes() const {
    std::lock_guard<std::mutex> lock(_mutex);
    return _flushes;
}

void SpoolFlusher::loop() {
    std::unique_lock<std::mutex> lock(_mutex);
    for (;;) {
        Request request;
        if (!_requests.empty()) {
            request = std::move(_requests.front());
            _requests.pop_front();
        } else if (_later.fd >= 0 && (_stopping || steadyMicros() >= _laterDue)) {
            request = std::move(_later);
            _later = Request{};
        } else if (_stopping) {
            return;  // everything handed over is flushed
        } else {
            if (_later.fd >= 0)
                _wake.wait_for(lock, std::chrono::microseconds(_laterDue - steadyMicros()));
            else
                _wake.wait(lock);
            continue;
        }
        _flushing = true;
        lock.unlock();
        flushNow(request.fd, request.kind, request.path, _logger);
        ::close(request.fd);
        lock.lock();
        _flushing = false;
        ++_flushes;
    }
}

void SpoolFlusher::dropLater() {
    if (_later.fd >= 0)
        ::close(_later.fd);
    _later = Request{};
}

void SpoolFlusher::flushNow(int fd, Kind kind, const std::string& path, Poco::Logger& logger) {
    const bool directory = kind == Kind::Directory;
    if ((directory ? ::fsync(fd) : ::fdatasync(fd)) != 0)
        logger.error("cannot flush " + std::string(directory ? "spool directory " : "spool segment ") + path +
                     " to disk: " + systemError(errno));
}

}  // namespace citysense
