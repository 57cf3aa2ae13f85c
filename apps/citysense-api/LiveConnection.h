// A live stream's connection once its request is answered: the socket taken from the HTTP server
// (non-blocking from then on) and the text waiting to go out on it. The writer thread (LiveWriter)
// appends text and flushes it as far as the socket takes it now, never waiting. TLS too: a write the
// TLS layer could not finish is tried again later with the same bytes, as OpenSSL requires, so text
// appended meanwhile waits behind them.
#pragma once

#include <Poco/Net/StreamSocket.h>

#include <cstddef>
#include <string>

namespace citysense::api {

class LiveConnection {
public:
    explicit LiveConnection(Poco::Net::StreamSocket socket);
    ~LiveConnection();
    LiveConnection(const LiveConnection&) = delete;
    LiveConnection& operator=(const LiveConnection&) = delete;

    int descriptor() const { return _descriptor; }

    /// Appends `text` to what waits to be written.
    void write(const std::string& text) { _waiting += text; }
    /// Whether text waits to be written.
    bool pending() const { return _sent < _sending.size() || !_waiting.empty(); }

    enum class Flushed { All, Blocked, Failed };
    /// Writes what waits, as far as the socket takes it now: All written, Blocked (the rest waits for
    /// the socket to be writable), or Failed (the client is gone).
    Flushed flush();

private:
    /// Bytes the socket took (0: none now), or -1 when it failed.
    long send(const char* data, std::size_t size);

    Poco::Net::StreamSocket _socket;
    const int _descriptor;
    const bool _secure;
    std::string _sending;  ///< being written, from _sent on; unchanged until all of it is
    std::size_t _sent = 0;
    std::string _waiting;  ///< appended since _sending was taken
};

}  // namespace citysense::api
