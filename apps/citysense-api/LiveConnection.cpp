#include "LiveConnection.h"

#include <Poco/Exception.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/Timespan.h>

#include <algorithm>
#include <cerrno>

#include <sys/socket.h>

namespace citysense::api {

namespace {

// At most this much in one write: a TLS write that could not finish is repeated with the same length.
constexpr std::size_t kLargestWrite = 1 << 20;
// A buffer grown beyond this while a client lagged is given back once it is written.
constexpr std::size_t kKeptCapacity = 16 * 1024;

}  // namespace

LiveConnection::LiveConnection(Poco::Net::StreamSocket socket)
    : _socket(std::move(socket)), _descriptor(_socket.impl()->sockfd()), _secure(_socket.secure()) {
    _socket.setBlocking(false);
    // Poco 1.11's TLS socket still takes itself for blocking (setBlocking does not reach its inner
    // socket): where OpenSSL wants to read or write, it waits for the socket for as long as these
    // timeouts (the HTTP server's) and then throws Poco::TimeoutException. With none, it throws at once.
    _socket.setSendTimeout(Poco::Timespan(0));
    _socket.setReceiveTimeout(Poco::Timespan(0));
}

LiveConnection::~LiveConnection() {
    try {
        _socket.close();
    } catch (const Poco::Exception&) {
        // A TLS close notification the client no longer takes: the connection ends all the same.
    }
}

LiveConnection::Flushed LiveConnection::flush() {
    for (;;) {
        if (_sent == _sending.size()) {
            _sent = 0;
            _sending.clear();
            if (_sending.capacity() > kKeptCapacity)
                std::string().swap(_sending);
            if (_waiting.empty())
                return Flushed::All;
            _sending.swap(_waiting);
        }
        const long sent = send(_sending.data() + _sent, std::min(_sending.size() - _sent, kLargestWrite));
        if (sent == kFailed)
            return Flushed::Failed;
        if (sent == kWantsWrite)
            return Flushed::Blocked;
        if (sent == kWantsRead)
            return Flushed::BlockedOnRead;
        _sent += static_cast<std::size_t>(sent);
    }
}

long LiveConnection::send(const char* data, std::size_t size) {
    if (!_secure) {
        for (;;) {
            const ssize_t sent = ::send(_descriptor, data, size, MSG_NOSIGNAL);
            if (sent >= 0)
                return sent;
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                return kWantsWrite;
            if (errno != EINTR)
                return kFailed;
        }
    }
    try {
        const int sent = _socket.sendBytes(data, static_cast<int>(size));
        if (sent == Poco::Net::SecureStreamSocket::ERR_SSL_WANT_WRITE)
            return kWantsWrite;
        if (sent == Poco::Net::SecureStreamSocket::ERR_SSL_WANT_READ)
            return kWantsRead;
        return sent > 0 ? sent : kFailed;
    } catch (const Poco::TimeoutException&) {
        // OpenSSL wanted the socket (see the constructor), mostly for a write; a rare want to read is
        // then retried when the socket is writable.
        return kWantsWrite;
    } catch (const Poco::Exception&) {
        return kFailed;
    }
}

}  // namespace citysense::api
