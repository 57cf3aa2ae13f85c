#include "LiveWriter.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

namespace citysense::api {

namespace {

constexpr Micros kKeyCheckInterval = kMicrosPerSecond;
constexpr const char* kKeyEnded =
    "event: end\ndata: {\"reason\":\"the API key was revoked or has expired\"}\n\n";

int created(int descriptor, const char* what) {
    if (descriptor < 0)
        throw std::runtime_error(std::string("live stream: cannot create its ") + what + ": " +
                                 std::strerror(errno));
    return descriptor;
}

}  // namespace

LiveWriter::Client::Client(Arrival& arrival, Micros now)
    : stream(std::move(arrival.stream)),
      connection(std::move(arrival.socket)),
      admitted(std::move(arrival.admitted)),
      lastWrite(now) {
    connection.write(arrival.preamble);
}

LiveWriter::LiveWriter(LiveHub& hub, Micros gather, Micros keepAlive)
    : _hub(hub),
      _gather(gather),
      _keepAlive(keepAlive),
      _poller(created(::epoll_create1(EPOLL_CLOEXEC), "poller")),
      _waker(created(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK), "wake-up descriptor")) {
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.ptr = nullptr;
    ::epoll_ctl(_poller, EPOLL_CTL_ADD, _waker, &event);
    _hub.wakeWith([this] { wake(); });
    _thread = std::thread([this] { run(); });
}

LiveWriter::~LiveWriter() {
    {
        std::lock_guard<std::mutex> lock(_mutex);
        _stop = true;
    }
    wake();
    _thread.join();
    _hub.wakeWith({});
    ::close(_waker);
    ::close(_poller);
}

void LiveWriter::attach(std::shared_ptr<LiveStream> stream, Poco::Net::StreamSocket socket,
                        std::string preamble, std::function<bool(Micros)> admitted) {
    {
        std::lock_guard<std::mutex> lock(_mutex);
        _arrivals.push_back({std::move(stream), std::move(socket), std::move(preamble), std::move(admitted)});
    }
    wake();
}

void LiveWriter::wake() {
    const std::uint64_t one = 1;
    // Only fails when the counter is about to overflow: the writer is awake then anyway.
    [[maybe_unused]] const ssize_t written = ::write(_waker, &one, sizeof one);
}

void LiveWriter::run() {
    std::vector<epoll_event> ready(256);
    bool due = false;    // the hub may have something to collect
    bool ended = false;  // the hub ended every stream
    Micros lastRound = 0;
    const Micros checkEvery = std::min(kKeyCheckInterval, _keepAlive);
    Micros nextCheck = steadyMicros() + checkEvery;
    for (;;) {
        Micros now = steadyMicros();
        Micros wait = nextCheck - now;
        if (due)
            wait = std::min(wait, lastRound + _gather - now);
        const int count = ::epoll_wait(_poller, ready.data(), static_cast<int>(ready.size()),
                                       static_cast<int>(std::max<Micros>(0, (wait + 999) / 1000)));
        for (int at = 0; at < count; ++at) {
            const epoll_event& event = ready[static_cast<std::size_t>(at)];
            if (!event.data.ptr) {
                std::uint64_t wakes = 0;
                [[maybe_unused]] const ssize_t read = ::read(_waker, &wakes, sizeof wakes);
                due = true;
                continue;
            }
            Client& client = *static_cast<Client*>(event.data.ptr);
            if (event.events & (EPOLLERR | EPOLLHUP | EPOLLRDHUP)) {
                finish(client);
            } else if (event.events & EPOLLOUT) {
                client.blocked = false;
                watch(client, false);
            }
        }
        std::vector<Arrival> arrivals;
        {
            std::lock_guard<std::mutex> lock(_mutex);
            if (_stop)
                break;
            arrivals.swap(_arrivals);
        }
        now = steadyMicros();
        LiveHub::Collected collected;
        if (due && now - lastRound >= _gather) {
            due = false;
            lastRound = now;
            collected = _hub.collect();
            ended = ended || collected.ended;
        }
        adopt(arrivals, ended, now);
        // A round that comes late (this thread did not get the processor for a while) hands its events
        // over in parts of half a queue, writing in between: only a client whose socket is full lets its
        // queue overflow.
        const std::size_t part = std::max<std::size_t>(1, _hub.queueEvents() / 2);
        std::size_t from = 0;
        do {
            const std::size_t to = std::min(collected.events.size(), from + part);
            deliver(collected.streams, collected.events, from, to);
            writeAll(ended, now);
            from = to;
        } while (from < collected.events.size());
        if (now >= nextCheck) {
            nextCheck = now + checkEvery;
            check(now);
        }
        _clients.erase(std::remove_if(_clients.begin(), _clients.end(),
                                      [](const std::unique_ptr<Client>& client) { return client->finished; }),
                       _clients.end());
    }
    for (const auto& client : _clients)
        finish(*client);
    _clients.clear();
}

void LiveWriter::adopt(std::vector<Arrival>& arrivals, bool ended, Micros now) {
    for (Arrival& arrival : arrivals) {
        _clients.push_back(std::make_unique<Client>(arrival, now));
        Client& client = *_clients.back();
        epoll_event event{};
        event.events = EPOLLRDHUP;
        event.data.ptr = &client;
        if (ended || client.stream->slow() ||
            ::epoll_ctl(_poller, EPOLL_CTL_ADD, client.connection.descriptor(), &event) != 0) {
            client.finished = true;
            _hub.close(client.stream);
        }
    }
}

void LiveWriter::deliver(const std::vector<std::shared_ptr<LiveStream>>& streams,
                         const std::vector<LiveEvent>& events, std::size_t from, std::size_t to) {
    if (from == to)
        return;
    for (const auto& stream : streams) {
        for (std::size_t at = from; at < to; ++at) {
            if (stream->offer(events[at])) {
                _hub.countSlow();
                break;
            }
        }
    }
}

void LiveWriter::writeAll(bool ended, Micros now) {
    for (const auto& client : _clients) {
        if (ended || client->stream->slow())
            finish(*client);  // a slow client's socket may be full: it is cut off without a write
        else if (!client->finished && !client->blocked)
            flush(*client, now);
    }
}

void LiveWriter::flush(Client& client, Micros now) {
    // After its end event, a client gets nothing more.
    const std::vector<LiveEvent> events = client.ending ? std::vector<LiveEvent>() : client.stream->take();
    for (const LiveEvent& event : events)
        client.connection.write(*event.text);
    if (!events.empty()) {
        _hub.countSent(events.size());
        client.lastWrite = now;
    }
    if (!client.connection.pending())
        return;
    switch (client.connection.flush()) {
        case LiveConnection::Flushed::All:
            if (client.ending)
                finish(client);
            break;
        case LiveConnection::Flushed::Blocked:
            client.blocked = true;
            watch(client, true);
            break;
        case LiveConnection::Flushed::Failed:
            finish(client);
            break;
    }
}

void LiveWriter::check(Micros now) {
    const Micros wallNow = nowMicros();
    for (const auto& client : _clients) {
        if (client->finished)
            continue;
        if (client->ending) {
            finish(*client);  // its end event did not get out within a check: it is not reading
            continue;
        }
        if (!client->admitted(wallNow)) {
            client->stream->take();  // the key's events end here
            client->connection.write(kKeyEnded);
            client->ending = true;
        } else if (now - client->lastWrite >= _keepAlive) {
            client->connection.write(": keep-alive\n\n");
            client->lastWrite = now;
        } else {
            continue;
        }
        if (!client->blocked)
            flush(*client, now);
    }
}

void LiveWriter::watch(Client& client, bool writable) {
    epoll_event event{};
    event.events = EPOLLRDHUP | (writable ? EPOLLOUT : 0u);
    event.data.ptr = &client;
    if (::epoll_ctl(_poller, EPOLL_CTL_MOD, client.connection.descriptor(), &event) != 0)
        finish(client);
}

void LiveWriter::finish(Client& client) {
    if (client.finished)
        return;
    client.finished = true;
    ::epoll_ctl(_poller, EPOLL_CTL_DEL, client.connection.descriptor(), nullptr);
    _hub.close(client.stream);
}

}  // namespace citysense::api
