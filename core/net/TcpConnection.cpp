#include "TcpConnection.h"

#include "TcpAddress.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <stdexcept>

namespace citysense::net {

namespace {

/// A non-blocking connect to `address`, waited for up to `timeout`: the connected socket, or -1 with
/// `problem` set.
int connectWithin(const SocketAddress& address, std::chrono::milliseconds timeout, std::string& problem) {
    const int fd = ::socket(address.family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        problem = std::strerror(errno);
        return -1;
    }
    int error = ::connect(fd, address.get(), address.length) == 0 ? 0 : errno;
    if (error == EINPROGRESS) {
        pollfd wanted{fd, POLLOUT, 0};
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        int ready;
        do {  // a signal interrupts the wait, not the connect
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                deadline - std::chrono::steady_clock::now());
            ready = ::poll(&wanted, 1, static_cast<int>(std::max<std::int64_t>(left.count(), 0)));
        } while (ready < 0 && errno == EINTR);
        socklen_t length = sizeof error;
        if (ready == 0)
            error = ETIMEDOUT;
        else if (ready < 0)
            error = errno;
        else if (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) != 0)
            error = errno;
    }
    if (error == 0 && ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK) == 0)
        return fd;
    problem = std::strerror(error != 0 ? error : errno);
    ::close(fd);
    return -1;
}

}  // namespace

TcpConnection::TcpConnection(const std::string& address, std::chrono::milliseconds timeout) {
    std::string problem;
    for (const SocketAddress& candidate : resolve(address, false)) {
        _fd = connectWithin(candidate, timeout, problem);
        if (_fd >= 0)
            return;
    }
    throw std::runtime_error(problem);
}

TcpConnection::~TcpConnection() {
    ::close(_fd);
}

void TcpConnection::setTimeouts(std::chrono::milliseconds timeout) {
    timeval limit{};
    limit.tv_sec = static_cast<time_t>(timeout.count() / 1000);
    limit.tv_usec = static_cast<suseconds_t>(timeout.count() % 1000 * 1000);
    ::setsockopt(_fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
    ::setsockopt(_fd, SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof limit);
}

}  // namespace citysense::net
