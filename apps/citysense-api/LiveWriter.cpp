#include "LiveWriter.h"

#include <Poco/Exception.h>
#include <Poco/Logger.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <unordered_map>

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

Poco::Logger& logger() {
    return Poco::Logger::get("citysense-api");
}

std::string whatOf(const std::exception& error) {
    const auto* poco = dynamic_cast<const Poco::Exception*>(&error);
    return poco ? poco->displayText() : error.what();
}

/// The names of the keys that admit a live stream at `now` (unexpired, with live:read), by hash.
std::unordered_map<std::string, std::string> admittingKeys(const KeySet& keys, Micros now) {
    std::unordered_map<std::string, std::string> names;
    for (const ApiKey& key : keys) {
        if (!key.expiredAt(now) && key.allows(kLiveRead))
            names.emplace(key.hash, key.name);
    }
    return names;
}

}  // namespace

LiveWriter::Client::Client(Arrival& arrival, Micros now)
    : stream(arrival.stream),
      connection(std::move(arrival.socket)),
      key(std::move(arrival.key)),
      lastWrite(now) {
    connection.append(arrival.preamble);
}

LiveWriter::LiveWriter(LiveHub& hub, Micros gather, Micros keepAlive,
                       std::function<std::shared_ptr<const KeySet>()> keys)
    : _hub(hub),
      _keys(std::move(keys)),
      _gather(gather),
      _keepAlive(keepAlive),
      _checkEvery(std::min(kKeyCheckInterval, keepAlive)),
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

void LiveWriter::attach(Arrival arrival) {
    {
        std::lock_guard<std::mutex> lock(_mutex);
        _arrivals.push_back(std::move(arrival));
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
    _nextCheck = steadyMicros() + _checkEvery;
    for (;;) {
        const Micros now = steadyMicros();
        Micros wait = _nextCheck - now;
        if (_due)
            wait = std::min(wait, _lastRound + _gather - now);
        const int count = ::epoll_wait(_poller, ready.data(), static_cast<int>(ready.size()),
                                       static_cast<int>(std::max<Micros>(0, (wait + 999) / 1000)));
        try {
            round(ready, count);
        } catch (const std::exception& error) {
            // Whatever failed (memory, the keys file) affects this round only: the streams go on.
            logger().error("live stream: a round of the writer failed, it carries on: " + whatOf(error));
        }
        std::lock_guard<std::mutex> lock(_mutex);
        if (_stop)
            break;
    }
    for (const auto& client : _clients)
        finish(*client);
    _clients.clear();
}

void LiveWriter::round(const std::vector<epoll_event>& ready, int count) {
    for (int at = 0; at < count; ++at) {
        const epoll_event& event = ready[static_cast<std::size_t>(at)];
        if (!event.data.ptr) {
            std::uint64_t wakes = 0;
            [[maybe_unused]] const ssize_t read = ::read(_waker, &wakes, sizeof wakes);
            _due = true;
            continue;
        }
        Client& client = *static_cast<Client*>(event.data.ptr);
        if (event.events & (EPOLLERR | EPOLLHUP | EPOLLRDHUP)) {
            finish(client);
        } else if (event.events & (EPOLLOUT | EPOLLIN)) {
            client.blocked = false;
            watch(client, 0);
        }
    }
    std::vector<Arrival> arrivals;
    {
        std::lock_guard<std::mutex> lock(_mutex);
        arrivals.swap(_arrivals);
    }
    const Micros now = steadyMicros();
    adopt(arrivals, _ended, now);
    LiveHub::Collected collected;
    if (_due && now - _lastRound >= _gather) {
        _due = false;
        _lastRound = now;
        collected = _hub.collect();
        _ended = _ended || collected.ended;
    }
    // A round that comes late (this thread did not get the processor for a while) hands its events
    // over in parts of half a queue, writing in between: only a client whose socket is full lets its
    // queue overflow.
    const std::size_t part = std::max<std::size_t>(1, _hub.queueEvents() / 2);
    std::size_t from = 0;
    do {
        const std::size_t to = std::min(collected.events.size(), from + part);
        deliver(collected.streams, collected.events, from, to);
        writeAll(_ended, now);
        from = to;
    } while (from < collected.events.size());
    if (now >= _nextCheck) {
        _nextCheck = now + _checkEvery;  // first: a check that fails is not tried again at once
        check(now);
    }
    _clients.erase(std::remove_if(_clients.begin(), _clients.end(),
                                  [](const std::unique_ptr<Client>& client) { return client->finished; }),
                   _clients.end());
}

void LiveWriter::adopt(std::vector<Arrival>& arrivals, bool ended, Micros now) {
    for (Arrival& arrival : arrivals) {
        const std::shared_ptr<LiveStream> stream = arrival.stream;
        try {
            if (adoptOne(arrival, ended, now))
                continue;
        } catch (const std::exception& error) {
            logger().warning("live stream of key " + stream->key() +
                             ": its connection cannot be taken over, it is closed: " + whatOf(error));
            _hub.countNotTakenOver();
        }
        _hub.close(stream);
        // Closed here, not when the last handle to the socket goes: another may outlive the arrival.
        try {
            arrival.socket.close();
        } catch (const Poco::Exception&) {
        }
    }
}

bool LiveWriter::adoptOne(Arrival& arrival, bool ended, Micros now) {
    if (ended || arrival.stream->slow())
        return false;
    _clients.push_back(std::make_unique<Client>(arrival, now));
    Client& client = *_clients.back();
    epoll_event event{};
    event.events = EPOLLRDHUP;
    event.data.ptr = &client;
    if (::epoll_ctl(_poller, EPOLL_CTL_ADD, client.connection.descriptor(), &event) != 0) {
        client.finished = true;
        throw std::runtime_error(std::string("cannot watch its socket: ") + std::strerror(errno));
    }
    _hub.countSent(arrival.preambleEvents);
    return true;
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
        client.connection.append(*event.text);
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
            watch(client, EPOLLOUT);
            break;
        case LiveConnection::Flushed::BlockedOnRead:
            client.blocked = true;
            watch(client, EPOLLIN);
            break;
        case LiveConnection::Flushed::Failed:
            finish(client);
            break;
    }
}

void LiveWriter::check(Micros now) {
    const std::shared_ptr<const KeySet> keys = _keys();
    const std::unordered_map<std::string, std::string> admitting = admittingKeys(*keys, nowMicros());
    for (const auto& client : _clients) {
        if (client->finished)
            continue;
        if (client->ending) {
            finish(*client);  // its end event did not get out within a check: it is not reading
            continue;
        }
        const auto admitted = admitting.find(client->key.hash);
        if (admitted == admitting.end() || admitted->second != client->key.name) {
            client->stream->take();      // the key's events end here
            _hub.close(client->stream);  // and it is offered no more
            client->connection.append(kKeyEnded);
            client->ending = true;
        } else if (now - client->lastWrite >= _keepAlive) {
            client->connection.append(": keep-alive\n\n");
            client->lastWrite = now;
        } else {
            continue;
        }
        if (!client->blocked)
            flush(*client, now);
    }
}

void LiveWriter::watch(Client& client, std::uint32_t events) {
    epoll_event event{};
    event.events = EPOLLRDHUP | events;
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
