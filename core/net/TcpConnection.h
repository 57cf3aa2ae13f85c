// A TCP connection made within a deadline, for probes that tell a closed port from a broker that hangs
// up (core/mqtt-client): the socket is closed with the object.
#pragma once

#include <chrono>
#include <string>

namespace citysense::net {

class TcpConnection {
public:
    /// Connects to "HOST:PORT", trying each of its addresses for at most `timeout`. Throws
    /// std::runtime_error with the reason of the last failure ("Connection refused", "timed out").
    TcpConnection(const std::string& address, std::chrono::milliseconds timeout);
    ~TcpConnection();
    TcpConnection(const TcpConnection&) = delete;
    TcpConnection& operator=(const TcpConnection&) = delete;

    int fd() const { return _fd; }

    /// Makes a blocking read or write of the socket fail after `timeout` (SO_RCVTIMEO, SO_SNDTIMEO).
    void setTimeouts(std::chrono::milliseconds timeout);

private:
    int _fd = -1;
};

}  // namespace citysense::net
