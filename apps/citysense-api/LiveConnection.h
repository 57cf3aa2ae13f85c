// A live stream's connection once its request is answered: the socket taken from the HTTP server
// (non-blocking from then on) and the text waiting to go out on it. The writer thread (LiveWriter)
// appends text and flushes it as far as the socket takes it now, never waiting. TLS too: a write the
// TLS layer could not finish is tried again later with the same bytes, as OpenSSL requires, so text
// appended meanwhile waits behind them; such a write may wait for the socket to be readable (the TLS
// layer has to read a record of the client's first), not writable.
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

    /// Appends `text` to what waits to be written (flush() writes it).
    void append(const std::string& text) { _waiting += text; }
    /// Whether text waits to be written.
    bool pending() const { return _sent < _sending.size() || !_waiting.empty(); }

    enum class Flushed { All, Blocked, BlockedOnRead, Failed };
    /// Writes what waits, as far as the socket takes it now: All written, Blocked (the rest waits for
    /// the socket to be writable), BlockedOnRead (TLS: the rest waits for it to be readable), or
    /// Failed (the client is gone).
    Flushed flush();

private:
    static constexpr long kWantsWrite = 0;
    static constexpr long kWantsRead = -1;
    static constexpr long kFailed = -2;
    /// Bytes the socket took, or kWantsWrite / kWantsRead (none taken now: wait for the socket to be
    /// writable / readable), or kFailed.
    long send(const char* data, std::size_t size);

    Poco::Net::StreamSocket _socket;
    const int _descriptor;
    const bool _secure;
    std::string _sending;  ///< being written, from _sent on; unchanged until all of it is
    std::size_t _sent = 0;
    std::string _waiting;  ///< appended since _sending was taken
};

}  // namespace citysense::api
