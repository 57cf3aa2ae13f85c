// For the live stream's tests and benchmark: a client of GET /v1.1/live that reads the Server-Sent
// Events as they come, over a plain socket (the stream's body ends only with the connection).
#pragma once

#include <Poco/Net/StreamSocket.h>

#include <chrono>
#include <map>
#include <optional>
#include <string>

namespace citysense::test {

struct SseEvent {
    std::string id;
    std::string type;  ///< "observation", "gap", "end"; "comment" for a comment line
    std::string data;  ///< the data, or the comment's text
};

class LiveStreamClient {
public:
    /// Sends GET `target` to 127.0.0.1:`port` with `headers` and reads the answer's head. `receiveBuffer`:
    /// the socket's receive buffer in bytes (0: the system's), small for a client that reads slowly.
    LiveStreamClient(unsigned port, const std::string& target,
                     const std::map<std::string, std::string>& headers, int receiveBuffer = 0);

    int status() const { return _status; }
    /// The body of a refusal (an answer other than 200), read to its end.
    const std::string& body() const { return _body; }

    /// The next event, waiting at most `timeout`; nothing when none came or the stream ended.
    std::optional<SseEvent> next(std::chrono::milliseconds timeout);
    /// The next event that is not a comment.
    std::optional<SseEvent> nextEvent(std::chrono::milliseconds timeout);
    /// Whether the server has closed the stream, waiting at most `timeout` (events up to then are read
    /// and dropped).
    bool endsWithin(std::chrono::milliseconds timeout);

    Poco::Net::StreamSocket& socket() { return _socket; }

private:
    /// One line without its end; nothing at the timeout or the end of the stream.
    std::optional<std::string> line(std::chrono::steady_clock::time_point deadline);
    /// Reads what has come into the buffer, waiting until `deadline`; false when nothing came.
    bool receive(std::chrono::steady_clock::time_point deadline);

    Poco::Net::StreamSocket _socket;
    std::string _buffer;
    bool _closed = false;
    int _status = 0;
    std::string _body;
};

}  // namespace citysense::test
