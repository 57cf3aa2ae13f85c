#include "LiveConnection.h"

#include <Poco/Net/SecureStreamSocket.h>

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
    } catch (const Poco::Exception&) {
        return kFailed;
    }
}

}  // namespace citysense::api
