// citysense-bench-live: the live stream's fan-out (issue 13). Opens --clients Server-Sent Events streams
// on a running citysense-api (/v1.1/live with --key-file's key), publishes --readings readings at --rate
// a second as a gateway (plain MQTT), and reads the streams on --readers threads (epoll; default 2, so
// that a busy machine lets the clients keep up with 1,000 streams of 1,000 events a second). For each
// reading each client receives: the latency from the publish to the receipt. Prints p50, p99 and the largest,
// the events every client should have had against those received (and so those dropped), and, with
// --api-pid, the service's CPU time and resident memory. Goal: p99 under 100 ms, nothing dropped.
#include "BenchSupport.h"

#include <mqtt/async_client.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

using namespace citysense::bench;
using Clock = std::chrono::steady_clock;

namespace {

struct Setup {
    unsigned port = 0;
    std::string key;
    std::string uri = "tcp://127.0.0.1:1883";
    std::string username;
    std::string password;
    std::string topic = "hypo_city/city_01/street_01/air_pollution/no2_level";
    int clients = 1000;
    int readers = 2;
    int readings = 2000;
    double rate = 1000;
    long apiPid = 0;
};

struct Client {
    int descriptor = -1;
    std::string buffer;
    bool headed = false;  ///< the answer's head has been read
    bool closed = false;
};

/// A stream's connection, its request sent.
int openStream(const Setup& setup) {
    const int descriptor = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(setup.port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (descriptor < 0 || ::connect(descriptor, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0)
        throw std::runtime_error(std::string("cannot connect to citysense-api: ") + std::strerror(errno));
    const std::string request =
        "GET /v1.1/live HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + setup.key + "\r\n\r\n";
    if (::send(descriptor, request.data(), request.size(), 0) != static_cast<ssize_t>(request.size()))
        throw std::runtime_error("cannot send a request");
    return descriptor;
}

std::size_t resident(long pid) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    for (std::string line; std::getline(status, line);) {
        if (line.rfind("VmRSS:", 0) == 0)
            return std::stoul(line.substr(6));
    }
    return 0;
}

/// The milliseconds at `fraction` of the sorted `values`.
double at(const std::vector<float>& values, double fraction) {
    if (values.empty())
        return 0;
    return values[std::min(values.size() - 1, static_cast<std::size_t>(fraction * values.size()))];
}

/// What the reader threads and the publisher share.
struct Progress {
    explicit Progress(const Setup& setup) : sent(static_cast<std::size_t>(setup.readings)) {}

    std::vector<std::atomic<Clock::rep>> sent;  ///< when each reading was published
    std::atomic<std::size_t> open{0};
    std::atomic<std::size_t> refused{0};
    std::atomic<std::size_t> received{0};
    std::atomic<Clock::rep> lastReceipt{Clock::now().time_since_epoch().count()};
    std::atomic<bool> stop{false};
};

/// One reader thread's streams (one epoll set) and the latencies it measured.
class Reader {
public:
    Reader(const Setup& setup, Progress& progress) : _setup(setup), _progress(progress) {}
    ~Reader() {
        for (const Client& client : _clients)
            ::close(client.descriptor);
        if (_poller >= 0)
            ::close(_poller);
    }

    void add(int descriptor) {
        Client client;
        client.descriptor = descriptor;
        _clients.push_back(client);
    }
    void start() {
        for (std::size_t index = 0; index < _clients.size(); ++index) {
            epoll_event event{};
            event.events = EPOLLIN;
            event.data.u64 = index;
            ::epoll_ctl(_poller, EPOLL_CTL_ADD, _clients[index].descriptor, &event);
        }
        _latencies.reserve(static_cast<std::size_t>(_setup.readings) * _clients.size());
        _thread = std::thread([this] { run(); });
    }
    void join() { _thread.join(); }

    const std::vector<float>& latencies() const { return _latencies; }
    std::size_t closed() const {
        return static_cast<std::size_t>(std::count_if(_clients.begin(), _clients.end(),
                                                      [](const Client& client) { return client.closed; }));
    }

private:
    void run() {
        std::vector<epoll_event> ready(256);
        std::vector<char> chunk(65536);
        while (!_progress.stop) {
            const int count = ::epoll_wait(_poller, ready.data(), static_cast<int>(ready.size()), 100);
            const Clock::time_point now = Clock::now();
            std::size_t received = 0;
            for (int at = 0; at < count; ++at) {
                Client& client = _clients[ready[static_cast<std::size_t>(at)].data.u64];
                const ssize_t read = ::recv(client.descriptor, chunk.data(), chunk.size(), 0);
                if (read <= 0) {
                    client.closed = true;
                    ::epoll_ctl(_poller, EPOLL_CTL_DEL, client.descriptor, nullptr);
                    continue;
                }
                client.buffer.append(chunk.data(), static_cast<std::size_t>(read));
                received += receive(client, now);
            }
            if (received > 0) {
                _progress.received += received;
                _progress.lastReceipt = now.time_since_epoch().count();
            }
        }
    }

    /// Reads the answer's head, then the latency of each event whose lines are complete.
    std::size_t receive(Client& client, Clock::time_point now) {
        if (!client.headed) {
            const auto end = client.buffer.find("\r\n\r\n");
            if (end == std::string::npos)
                return 0;
            client.headed = true;
            ++(client.buffer.compare(0, 12, "HTTP/1.1 200") == 0 ? _progress.open : _progress.refused);
            client.buffer.erase(0, end + 4);
        }
        const std::size_t complete = client.buffer.rfind('\n');
        if (complete == std::string::npos)
            return 0;
        // Only an observation's data line has a "result".
        static constexpr char kResult[] = "\"result\":";
        std::size_t counted = 0;
        const char* from = client.buffer.data();
        const char* const end = client.buffer.data() + complete;
        while (const void* found =
                   ::memmem(from, static_cast<std::size_t>(end - from), kResult, sizeof kResult - 1)) {
            from = static_cast<const char*>(found) + sizeof kResult - 1;
            const long reading = std::strtol(from, nullptr, 10);
            if (reading >= 0 && reading < _setup.readings) {
                const Clock::time_point sent(
                    Clock::duration(_progress.sent[static_cast<std::size_t>(reading)].load()));
                _latencies.push_back(std::chrono::duration<float, std::milli>(now - sent).count());
                ++counted;
            }
        }
        client.buffer.erase(0, complete + 1);
        return counted;
    }

    const Setup& _setup;
    Progress& _progress;
    int _poller = ::epoll_create1(0);
    std::vector<Client> _clients;
    std::vector<float> _latencies;
    std::thread _thread;
};

void publish(const Setup& setup, Progress& progress) {
    // paho.mqtt.cpp 1.2 refuses a publish while 100 others wait to be sent, unless told otherwise: a
    // loaded machine may fall that far behind the rate for a moment.
    ::mqtt::async_client mqtt(setup.uri, setup.username,
                              ::mqtt::create_options(MQTTVERSION_3_1_1, setup.readings));
    mqtt.connect(::mqtt::connect_options_builder()
                     .user_name(setup.username)
                     .password(setup.password)
                     .clean_session(true)
                     .finalize())
        ->wait();
    const auto interval = std::chrono::duration<double>(1.0 / setup.rate);
    const Clock::time_point start = Clock::now();
    for (int reading = 0; reading < setup.readings; ++reading) {
        std::this_thread::sleep_until(start +
                                      std::chrono::duration_cast<Clock::duration>(interval * reading));
        progress.sent[static_cast<std::size_t>(reading)] = Clock::now().time_since_epoch().count();
        mqtt.publish(setup.topic, "2026-12-06 10:00:00.000000\t" + std::to_string(reading), 0, false);
    }
    mqtt.disconnect()->wait();
}

int measure(const Setup& setup) {
    Progress progress(setup);
    std::vector<std::unique_ptr<Reader>> readers;
    for (int reader = 0; reader < setup.readers; ++reader)
        readers.push_back(std::make_unique<Reader>(setup, progress));
    for (int client = 0; client < setup.clients; ++client)
        readers[static_cast<std::size_t>(client % setup.readers)]->add(openStream(setup));
    for (const auto& reader : readers)
        reader->start();
    const auto clients = static_cast<std::size_t>(setup.clients);
    const Clock::time_point opening = Clock::now();
    while (progress.open + progress.refused < clients && Clock::now() - opening < std::chrono::seconds(60))
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    if (progress.open + progress.refused < clients || progress.refused > 0) {
        progress.stop = true;
        for (const auto& reader : readers)
            reader->join();
        throw std::runtime_error(progress.refused > 0
                                     ? std::to_string(progress.refused) + " streams were refused"
                                     : "the streams did not open within a minute");
    }
    std::cout << "live: " << progress.open << " streams open; publishing " << setup.readings
              << " readings at " << setup.rate << "/s\n";
    const double cpuBefore = setup.apiPid ? processCpuMicros(setup.apiPid) : 0;
    const double ownCpuBefore = ownCpuMicros();
    const Clock::time_point publishStart = Clock::now();
    publish(setup, progress);
    const std::size_t expected = static_cast<std::size_t>(setup.readings) * clients;
    while (progress.received < expected &&
           Clock::now() - Clock::time_point(Clock::duration(progress.lastReceipt.load())) <
               std::chrono::seconds(3))
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    progress.stop = true;
    for (const auto& reader : readers)
        reader->join();
    const double seconds = std::chrono::duration<double>(Clock::now() - publishStart).count();
    const double cpu = setup.apiPid ? processCpuMicros(setup.apiPid) - cpuBefore : 0;
    std::vector<float> latencies;
    latencies.reserve(progress.received);
    std::size_t closed = 0;
    for (const auto& reader : readers) {
        latencies.insert(latencies.end(), reader->latencies().begin(), reader->latencies().end());
        closed += reader->closed();
    }
    std::sort(latencies.begin(), latencies.end());
    const std::size_t dropped = expected > latencies.size() ? expected - latencies.size() : 0;
    const std::size_t duplicated = latencies.size() > expected ? latencies.size() - expected : 0;
    std::printf(
        "live: %d clients, %d readings at %.0f/s: %zu events of %zu received (%zu dropped, %zu more than "
        "sent), %zu streams cut off\n",
        setup.clients, setup.readings, setup.rate, latencies.size(), expected, dropped, duplicated, closed);
    std::printf(
        "live: latency publish → receipt: p50 %.1f ms, p99 %.1f ms, max %.1f ms (goal: p99 < 100 ms)\n",
        at(latencies, 0.5), at(latencies, 0.99), latencies.empty() ? 0.0 : latencies.back());
    std::printf("live: these readers (%d threads, every stream) and the publisher: %.0f%% of a CPU\n",
                setup.readers, (ownCpuMicros() - ownCpuBefore) / seconds / 1e4);
    if (setup.apiPid)
        std::printf("live: citysense-api: %.0f%% of a CPU over %.1f s, resident %zu KiB\n",
                    cpu / seconds / 1e4, seconds, resident(setup.apiPid));
    const bool met = at(latencies, 0.99) < 100 && latencies.size() == expected;
    std::printf("live: goal %s\n", met ? "met" : "NOT met");
    return met ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    Setup setup;
    return benchmarkMain(
        "citysense-bench-live",
        [&] {
            parseOptions(
                argc, argv,
                {{"--port", storeIn(setup.port)},
                 {"--key-file", [&](const std::string& value) { setup.key = readPassword(value); }},
                 {"--uri", storeIn(setup.uri)},
                 {"--username", storeIn(setup.username)},
                 {"--password-file", [&](const std::string& value) { setup.password = readPassword(value); }},
                 {"--clients", storeIn(setup.clients)},
                 {"--readers", storeIn(setup.readers)},
                 {"--readings", storeIn(setup.readings)},
                 {"--rate", storeIn(setup.rate)},
                 {"--api-pid", storeIn(setup.apiPid)}});
            if (setup.port == 0 || setup.key.empty() || setup.username.empty())
                throw std::invalid_argument("--port, --key-file and --username are required");
            if (setup.readers < 1 || setup.clients < 1)
                throw std::invalid_argument("--readers and --clients must be at least 1");
        },
        [&] { return measure(setup); });
}
