// The live streams' writer: one thread that writes every open stream, over non-blocking sockets
// (epoll), so a thousand streams need neither a thousand threads nor a wake-up each per event.
// A stream's request is answered on a server thread, which hands the connection over (attach()) and
// is free again at once. Then the writer, in rounds at most `gather` apart (a burst of events costs
// each client one write, not one per event, for at most that much latency):
// - collects what the hub published since the last round and queues each event for the streams that
//   want it (LiveStream), cutting off and counting a client that lets its queue overflow (a late round
//   hands its events over in parts, writing in between, so that only a client that does not read does);
// - writes each client what waits, as far as its socket takes it now; a client whose socket is full
//   waits for it to be writable, and never holds up the others;
// - every second (or `keepAlive`, if shorter), ends the stream of a key that no longer admits it (with
//   an `event: end`) and writes a keep-alive comment to a client silent for `keepAlive`;
// - closes the connection of a client that went away, at once.
#pragma once

#include "LiveConnection.h"
#include "LiveHub.h"

#include <Poco/Net/StreamSocket.h>

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace citysense::api {

class LiveWriter {
public:
    /// Starts the thread, and has `hub` wake it for what it publishes.
    LiveWriter(LiveHub& hub, Micros gather, Micros keepAlive);
    /// Stops the thread and closes every connection.
    ~LiveWriter();
    LiveWriter(const LiveWriter&) = delete;
    LiveWriter& operator=(const LiveWriter&) = delete;

    /// Takes over `stream`'s connection: `preamble` (the answer's head and what comes before the live
    /// events) is written first. `admitted(now)`: whether the stream's key still admits it.
    void attach(std::shared_ptr<LiveStream> stream, Poco::Net::StreamSocket socket, std::string preamble,
                std::function<bool(Micros)> admitted);

private:
    struct Arrival {
        std::shared_ptr<LiveStream> stream;
        Poco::Net::StreamSocket socket;
        std::string preamble;
        std::function<bool(Micros)> admitted;
    };
    struct Client {
        Client(Arrival& arrival, Micros now);

        std::shared_ptr<LiveStream> stream;
        LiveConnection connection;
        std::function<bool(Micros)> admitted;
        Micros lastWrite;
        bool blocked = false;   ///< waiting for its socket to take more
        bool ending = false;    ///< its end event is written: closed once it is out
        bool finished = false;  ///< closed (gone at the end of the round)
    };

    void run();
    void wake();
    void adopt(std::vector<Arrival>& arrivals, bool ended, Micros now);
    /// Offers events [from, to) to each of `streams`.
    void deliver(const std::vector<std::shared_ptr<LiveStream>>& streams,
                 const std::vector<LiveEvent>& events, std::size_t from, std::size_t to);
    /// Writes every client what waits; cuts off the slow ones, and every one when the hub `ended`.
    void writeAll(bool ended, Micros now);
    /// Writes `client` what waits; finishes it when that fails, or when its end is out.
    void flush(Client& client, Micros now);
    /// Key checks and keep-alives.
    void check(Micros now);
    void watch(Client& client, bool writable);
    void finish(Client& client);

    LiveHub& _hub;
    const Micros _gather;
    const Micros _keepAlive;
    const int _poller;
    const int _waker;   ///< an eventfd: something to collect or adopt
    std::mutex _mutex;  ///< for the two below
    std::vector<Arrival> _arrivals;
    bool _stop = false;
    std::vector<std::unique_ptr<Client>> _clients;  ///< the thread's own
    std::thread _thread;
};

}  // namespace citysense::api
