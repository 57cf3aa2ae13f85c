#include "HttpResponder.h"

#include "HttpRequestHead.h"
#include "SystemError.h"

#include <net/TcpAddress.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <list>
#include <stdexcept>
#include <vector>

namespace citysense {

namespace {

using Clock = std::chrono::steady_clock;

struct Connection {
    int fd;
    Clock::time_point deadline;
    std::string in{};
    std::string out{};
    std::size_t sent = 0;
    bool answering = false;
};

std::string render(const HttpAnswer& answer, bool withBody) {
    std::string text =
        "HTTP/1.1 " + std::to_string(answer.status) + " " + HttpResponder::reasonPhrase(answer.status) +
        "\r\nContent-Type: " + answer.contentType +
        "\r\nContent-Length: " + std::to_string(answer.body.size()) + "\r\nConnection: close\r\n";
    if (!answer.allow.empty())
        text += "Allow: " + answer.allow + "\r\n";
    text += "\r\n";
    if (withBody)
        text += answer.body;
    return text;
}

}  // namespace

const char* HttpResponder::reasonPhrase(int status) {
    switch (status) {
        case 200:
            return "OK";
        case 400:
            return "Bad Request";
        case 404:
            return "Not Found";
        case 405:
            return "Method Not Allowed";
        case 431:
            return "Request Header Fields Too Large";
        case 500:
            return "Internal Server Error";
        case 503:
            return "Service Unavailable";
        default:
            return "Unknown";
    }
}

HttpResponder::HttpResponder(const std::string& address, Handler handler, HttpRefusals& refusals)
    : _handler(std::move(handler)), _refusals(refusals) {
    try {
        const net::SocketAddress where = net::listenAddress(address);
        _listenFd = ::socket(where.family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (_listenFd < 0)
            throw std::runtime_error(std::string("socket: ") + systemError(errno));
        const int on = 1;
        ::setsockopt(_listenFd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
        if (::bind(_listenFd, where.get(), where.length) != 0)
            throw std::runtime_error(std::string("bind: ") + systemError(errno));
        if (::listen(_listenFd, 64) != 0)
            throw std::runtime_error(std::string("listen: ") + systemError(errno));
        sockaddr_storage bound{};
        socklen_t length = sizeof bound;
        ::getsockname(_listenFd, reinterpret_cast<sockaddr*>(&bound), &length);
        _port = ntohs(bound.ss_family == AF_INET6 ? reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port
                                                  : reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
        _wakeFd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
        if (_wakeFd < 0)
            throw std::runtime_error(std::string("eventfd: ") + systemError(errno));
    } catch (const std::exception& error) {
        if (_listenFd >= 0)
            ::close(_listenFd);
        throw std::runtime_error(address + ": " + error.what());
    }
    _thread = std::thread([this] { loop(); });
}

HttpResponder::~HttpResponder() {
    const std::uint64_t one = 1;
    [[maybe_unused]] const ssize_t woken = ::write(_wakeFd, &one, sizeof one);  // fails only on overflow
    _thread.join();
    ::close(_wakeFd);
    ::close(_listenFd);
}

void HttpResponder::loop() {
    std::list<Connection> connections;  // oldest first
    const auto close = [&](std::list<Connection>::iterator connection) {
        ::close(connection->fd);
        return connections.erase(connection);
    };
    const auto answer = [&](Connection& connection, const HttpAnswer& reply, bool withBody) {
        connection.out = render(reply, withBody);
        connection.answering = true;
        connection.deadline = Clock::now() + std::chrono::milliseconds(kRequestDeadlineMs);
    };
    std::vector<pollfd> polled;
    while (true) {
        polled.assign({{_wakeFd, POLLIN, 0}, {_listenFd, POLLIN, 0}});
        auto nearest = Clock::time_point::max();
        for (const auto& connection : connections) {
            polled.push_back({connection.fd, static_cast<short>(connection.answering ? POLLOUT : POLLIN), 0});
            nearest = std::min(nearest, connection.deadline);
        }
        int timeoutMs = -1;
        if (nearest != Clock::time_point::max())
            timeoutMs = static_cast<int>(std::max<long long>(
                0,
                std::chrono::duration_cast<std::chrono::milliseconds>(nearest - Clock::now()).count() + 1));
        if (::poll(polled.data(), polled.size(), timeoutMs) < 0 && errno != EINTR)
            return;
        if (polled[0].revents)
            break;
        // Connections first (polled[2...] is in list order), then new ones.
        std::size_t index = 2;
        for (auto connection = connections.begin(); connection != connections.end(); ++index) {
            const short events = polled[index].revents;
            if (Clock::now() >= connection->deadline) {
                _refusals.timeout++;
                connection = close(connection);
                continue;
            }
            if (events & (POLLERR | POLLNVAL)) {
                connection = close(connection);
                continue;
            }
            if (connection->answering && (events & POLLOUT)) {
                const ssize_t sent = ::send(connection->fd, connection->out.data() + connection->sent,
                                            connection->out.size() - connection->sent, MSG_NOSIGNAL);
                if (sent < 0 && errno != EAGAIN && errno != EINTR) {
                    connection = close(connection);
                    continue;
                }
                connection->sent += static_cast<std::size_t>(std::max<ssize_t>(sent, 0));
                if (connection->sent == connection->out.size()) {
                    connection = close(connection);
                    continue;
                }
            } else if (!connection->answering && (events & (POLLIN | POLLHUP))) {
                char buffer[4096];
                const ssize_t got = ::recv(connection->fd, buffer, sizeof buffer, 0);
                if (got == 0 || (got < 0 && errno != EAGAIN && errno != EINTR)) {
                    connection = close(connection);
                    continue;
                }
                connection->in.append(buffer, static_cast<std::size_t>(std::max<ssize_t>(got, 0)));
                const std::size_t end = requestHeadEnd(connection->in);
                if (end == std::string::npos && connection->in.size() > kMaxHeadBytes) {
                    _refusals.tooLarge++;
                    answer(*connection, {431, "text/plain", "the request head is over 8 KiB\n"}, true);
                } else if (end != std::string::npos) {
                    if (const auto request = parseRequestLine(connection->in)) {
                        answer(*connection, _handler(request->method, request->target),
                               request->method != "HEAD");
                    } else {
                        _refusals.malformed++;
                        answer(*connection, {400, "text/plain", "not an HTTP/1.x request line\n"}, true);
                    }
                }
            }
            ++connection;
        }
        if (polled[1].revents & POLLIN) {
            for (int fd; (fd = ::accept4(_listenFd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0;) {
                if (connections.size() >= kMaxConnections) {
                    _refusals.tooMany++;
                    close(connections.begin());
                }
                connections.push_back({fd, Clock::now() + std::chrono::milliseconds(kRequestDeadlineMs)});
            }
        }
    }
    for (auto connection = connections.begin(); connection != connections.end();)
        connection = close(connection);
}

}  // namespace citysense
