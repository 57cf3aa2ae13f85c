// A small HTTP/1.x responder for the host's own endpoints: one thread multiplexes every connection
// with poll(), so slow or idle clients (slowloris) cannot hold the threads a blocking server gives
// each connection. Every request must arrive whole within a deadline, its head within a size bound,
// and the number of open connections is bounded; each refusal is counted. One request per
// connection (Connection: close), GET and HEAD only, no request bodies.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <thread>

namespace citysense {

struct HttpAnswer {
    int status = 200;
    std::string contentType = "text/plain";
    std::string body;
    std::string allow{};  ///< the Allow header of a 405
};

/// What the responder refused, by reason, since it started.
struct HttpRefusals {
    std::atomic<std::uint64_t> timeout{0};    ///< the request did not arrive (or the answer leave) in time
    std::atomic<std::uint64_t> tooLarge{0};   ///< the request head exceeded maxHeadBytes (431)
    std::atomic<std::uint64_t> malformed{0};  ///< not an HTTP/1.x request line (400)
    std::atomic<std::uint64_t> tooMany{0};    ///< the oldest connection closed to make room
};

class HttpResponder {
public:
    static constexpr int kRequestDeadlineMs = 2000;
    static constexpr std::size_t kMaxHeadBytes = 8192;
    static constexpr std::size_t kMaxConnections = 256;

    /// Answers `GET target` (HEAD gets the same answer without its body); called on the responder's thread.
    using Handler = std::function<HttpAnswer(const std::string& method, const std::string& target)>;

    /// Listens on `address` ("127.0.0.1:8180"; port 0 picks a free one) without SO_REUSEPORT, so a
    /// second host on the same port fails, and counts what it refuses in `refusals` (which must
    /// outlive it). Throws std::runtime_error naming the address.
    HttpResponder(const std::string& address, Handler handler, HttpRefusals& refusals);
    ~HttpResponder();

    unsigned port() const { return _port; }

    /// "Not Found" for 404: the reason phrase of a status code.
    static const char* reasonPhrase(int status);

private:
    void loop();

    Handler _handler;
    int _listenFd = -1;
    int _wakeFd = -1;
    unsigned _port = 0;
    HttpRefusals& _refusals;
    std::thread _thread;
};

}  // namespace citysense
