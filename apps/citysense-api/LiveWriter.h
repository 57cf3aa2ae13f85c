// The live streams' writer: one thread that writes every open stream, over non-blocking sockets
// (epoll), so a thousand streams need neither a thousand threads nor a wake-up each per event.
// A stream's request is answered on a server thread, which hands the connection over (attach()) and
// is free again at once. Then the writer, in rounds at most `gather` apart (a burst of events costs
// each client one write, not one per event, for at most that much latency):
// - collects what the hub published since the last round and queues each event for the streams that
//   want it (LiveStream), cutting off and counting a client that lets its queue overflow (a late round
//   hands its events over in parts, writing in between, so that only a client that does not read does);
// - writes each client what waits, as far as its socket takes it now; a client whose socket is full
//   waits for it to be writable (or, TLS, readable), and never holds up the others;
// - every second (or `keepAlive`, if shorter), looks at the keys once and ends the stream of a key that
//   no longer admits it (revoked, expired, without live:read) with an `event: end`, offering it no more
//   events, and writes a keep-alive comment to a client silent for `keepAlive`;
// - closes the connection of a client that went away, at once.
// Nothing that goes wrong with one client (or one round) stops the thread: a connection it cannot take
// over is closed, logged and counted, a round that fails is logged, and the others go on.
#pragma once

#include "KeyFile.h"
#include "LiveConnection.h"
#include "LiveHub.h"

#include <Poco/Net/StreamSocket.h>

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <sys/epoll.h>

namespace citysense::api {

class LiveWriter {
public:
    /// Starts the thread, and has `hub` wake it for what it publishes. `keys`: the API keys as they
    /// stand now, asked once per key check.
    LiveWriter(LiveHub& hub, Micros gather, Micros keepAlive,
               std::function<std::shared_ptr<const KeySet>()> keys);
    /// Stops the thread and closes every connection.
    ~LiveWriter();
    LiveWriter(const LiveWriter&) = delete;
    LiveWriter& operator=(const LiveWriter&) = delete;

    /// A stream whose request is answered, for the writer to take over.
    struct Arrival {
        std::shared_ptr<LiveStream> stream;
        Poco::Net::StreamSocket socket;
        std::string preamble;  ///< the answer's head and what comes before the live events: written first
        std::size_t preambleEvents = 0;  ///< the events in `preamble` (a backlog), counted when written
        ApiKey key;                      ///< the key the stream was opened with
    };
    /// Takes over `arrival`'s connection.
    void attach(Arrival arrival);

private:
    struct Client {
        Client(Arrival& arrival, Micros now);

        std::shared_ptr<LiveStream> stream;
        LiveConnection connection;
        ApiKey key;
        Micros lastWrite;
        bool blocked = false;   ///< waiting for its socket to take more (or, TLS, to be readable)
        bool ending = false;    ///< its end event is written: closed once it is out
        bool finished = false;  ///< closed (gone at the end of the round)
    };

    void run();
    /// One round: the `count` events of `ready` handled, the arrivals adopted, what the hub published
    /// collected, delivered and written, the keys checked when due.
    void round(const std::vector<epoll_event>& ready, int count);
    void wake();
    void adopt(std::vector<Arrival>& arrivals, bool ended, Micros now);
    /// Takes over `arrival`'s connection: true, or false when it is closed at once (the hub ended, the
    /// stream is slow already). Throws when the connection cannot be taken over.
    bool adoptOne(Arrival& arrival, bool ended, Micros now);
    /// Offers events [from, to) to each of `streams`.
    void deliver(const std::vector<std::shared_ptr<LiveStream>>& streams,
                 const std::vector<LiveEvent>& events, std::size_t from, std::size_t to);
    /// Writes every client what waits; cuts off the slow ones, and every one when the hub `ended`.
    void writeAll(bool ended, Micros now);
    /// Writes `client` what waits; finishes it when that fails, or when its end is out.
    void flush(Client& client, Micros now);
    /// Key checks and keep-alives.
    void check(Micros now);
    /// Has the poller watch `client` for its socket to be writable, or readable, or neither (0).
    void watch(Client& client, std::uint32_t events);
    void finish(Client& client);

    LiveHub& _hub;
    const std::function<std::shared_ptr<const KeySet>()> _keys;
    const Micros _gather;
    const Micros _keepAlive;
    const Micros _checkEvery;  ///< key checks and keep-alives
    const int _poller;
    const int _waker;   ///< an eventfd: something to collect or adopt
    std::mutex _mutex;  ///< for the two below
    std::vector<Arrival> _arrivals;
    bool _stop = false;
    // The thread's own:
    std::vector<std::unique_ptr<Client>> _clients;
    bool _due = false;    ///< the hub may have something to collect
    bool _ended = false;  ///< the hub ended every stream
    Micros _lastRound = 0;
    Micros _nextCheck = 0;
    std::thread _thread;
};

}  // namespace citysense::api
