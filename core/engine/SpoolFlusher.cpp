#include "SpoolFlusher.h"

#include "SystemError.h"

#include <Poco/Logger.h>

#include <fcntl.h>
#include <unistd.h>
#include <cerrno>

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
        _requests.push_back({copy, kind, path});
    }
    _wake.notify_one();
}

bool SpoolFlusher::busy() const {
    std::lock_guard<std::mutex> lock(_mutex);
    return _flushing || !_requests.empty();
}

void SpoolFlusher::loop() {
    std::unique_lock<std::mutex> lock(_mutex);
    for (;;) {
        _wake.wait(lock, [this] { return _stopping || !_requests.empty(); });
        if (_requests.empty())
            return;  // stopping, and everything handed over is flushed
        const Request request = std::move(_requests.front());
        _requests.pop_front();
        _flushing = true;
        lock.unlock();
        flushNow(request.fd, request.kind, request.path, _logger);
        ::close(request.fd);
        lock.lock();
        _flushing = false;
    }
}

void SpoolFlusher::flushNow(int fd, Kind kind, const std::string& path, Poco::Logger& logger) {
    const bool directory = kind == Kind::Directory;
    if ((directory ? ::fsync(fd) : ::fdatasync(fd)) != 0)
        logger.error("cannot flush " + std::string(directory ? "spool directory " : "spool segment ") + path +
                     " to disk: " + systemError(errno));
}

}  // namespace citysense
