// citysense-bench-live: the live stream's fan-out (issue 13). Opens --clients Server-Sent Events streams
// on a running citysense-api (/v1.1/live with --key-file's key), publishes --readings readings at --rate
// a second as a gateway (plain MQTT), and reads every stream from one thread (epoll). For each reading
// each client receives: the latency from the publish to the receipt. Prints p50, p99 and the largest,
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

int measure(const Setup& setup) {
    std::vector<Client> clients(static_cast<std::size_t>(setup.clients));
    const int poller = ::epoll_create1(0);
    for (std::size_t index = 0; index < clients.size(); ++index) {
        clients[index].descriptor = openStream(setup);
        epoll_event event{};
        event.events = EPOLLIN;
        event.data.u64 = index;
        ::epoll_ctl(poller, EPOLL_CTL_ADD, clients[index].descriptor, &event);
    }
    std::vector<Clock::time_point> sent(static_cast<std::size_t>(setup.readings));
    std::vector<float> latencies;
    latencies.reserve(static_cast<std::size_t>(setup.readings) * clients.size());
    std::size_t open = 0;
    std::size_t refused = 0;
    std::atomic<bool> publishing{false};
    std::atomic<bool> published{false};
    std::thread publisher;
    const double cpuBefore = setup.apiPid ? processCpuMicros(setup.apiPid) : 0;
    const double ownCpuBefore = ownCpuMicros();
    Clock::time_point publishStart;
    Clock::time_point lastReceipt = Clock::now();
    std::vector<epoll_event> ready(256);
    for (;;) {
        const int count = ::epoll_wait(poller, ready.data(), static_cast<int>(ready.size()), 100);
        const Clock::time_point now = Clock::now();
        for (int at = 0; at < count; ++at) {
            Client& client = clients[ready[static_cast<std::size_t>(at)].data.u64];
            char chunk[65536];
            const ssize_t received = ::recv(client.descriptor, chunk, sizeof chunk, 0);
            if (received <= 0) {
                client.closed = true;
                ::epoll_ctl(poller, EPOLL_CTL_DEL, client.descriptor, nullptr);
                continue;
            }
            client.buffer.append(chunk, static_cast<std::size_t>(received));
            if (!client.headed) {
                const auto end = client.buffer.find("\r\n\r\n");
                if (end == std::string::npos)
                    continue;
                client.headed = true;
                if (client.buffer.compare(0, 12, "HTTP/1.1 200") == 0)
                    ++open;
                else
                    ++refused;
                client.buffer.erase(0, end + 4);
            }
            std::size_t from = 0;
            for (std::size_t line; (line = client.buffer.find('\n', from)) != std::string::npos;
                 from = line + 1) {
                const std::size_t result = client.buffer.find("\"result\":", from);
                if (client.buffer.compare(from, 6, "data: ") != 0 || result == std::string::npos ||
                    result > line)
                    continue;
                const long reading = std::strtol(client.buffer.c_str() + result + 9, nullptr, 10);
                if (reading >= 0 && reading < setup.readings) {
                    latencies.push_back(std::chrono::duration<float, std::milli>(
                                            now - sent[static_cast<std::size_t>(reading)])
                                            .count());
                    lastReceipt = now;
                }
            }
            client.buffer.erase(0, from);
        }
        if (!publishing && open + refused == clients.size()) {
            if (refused > 0)
                throw std::runtime_error(std::to_string(refused) + " streams were refused");
            std::cout << "live: " << open << " streams open; publishing " << setup.readings << " readings at "
                      << setup.rate << "/s\n";
            publishing = true;
            publishStart = Clock::now();
            publisher = std::thread([&] {
                // paho.mqtt.cpp 1.2 refuses a publish while 100 others wait to be sent, unless told
                // otherwise: a loaded machine may fall that far behind the rate for a moment.
                ::mqtt::async_client mqtt(setup.uri, setup.username,
                                          ::mqtt::create_options(MQTTVERSION_3_1_1, setup.readings));
                mqtt.connect(::mqtt::connect_options_builder()
                                 .user_name(setup.username)
                                 .password(setup.password)
                                 .clean_session(true)
                                 .finalize())
                    ->wait();
                const auto interval = std::chrono::duration<double>(1.0 / setup.rate);
                for (int reading = 0; reading < setup.readings; ++reading) {
                    std::this_thread::sleep_until(
                        publishStart + std::chrono::duration_cast<Clock::duration>(interval * reading));
                    sent[static_cast<std::size_t>(reading)] = Clock::now();
                    mqtt.publish(setup.topic, "2026-12-06 10:00:00.000000\t" + std::to_string(reading), 0,
                                 false);
                }
                mqtt.disconnect()->wait();
                published = true;
            });
        }
        if (published && (latencies.size() == static_cast<std::size_t>(setup.readings) * clients.size() ||
                          now - lastReceipt > std::chrono::seconds(3)))
            break;
        if (!publishing && now - lastReceipt > std::chrono::seconds(60))
            throw std::runtime_error("the streams did not open within a minute");
    }
    publisher.join();
    const double seconds = std::chrono::duration<double>(Clock::now() - publishStart).count();
    const double cpu = setup.apiPid ? processCpuMicros(setup.apiPid) - cpuBefore : 0;
    std::size_t closed = 0;
    for (const Client& client : clients) {
        closed += client.closed ? 1 : 0;
        ::close(client.descriptor);
    }
    ::close(poller);
    const std::size_t expected = static_cast<std::size_t>(setup.readings) * clients.size();
    std::sort(latencies.begin(), latencies.end());
    std::printf(
        "live: %d clients, %d readings at %.0f/s: %zu events of %zu received (%zu dropped), %zu streams "
        "cut off\n",
        setup.clients, setup.readings, setup.rate, latencies.size(), expected, expected - latencies.size(),
        closed);
    std::printf(
        "live: latency publish → receipt: p50 %.1f ms, p99 %.1f ms, max %.1f ms (goal: p99 < 100 ms)\n",
        at(latencies, 0.5), at(latencies, 0.99), latencies.empty() ? 0.0 : latencies.back());
    std::printf("live: this reader (one thread, every stream): %.0f%% of a CPU\n",
                (ownCpuMicros() - ownCpuBefore) / seconds / 1e4);
    if (setup.apiPid)
        std::printf("live: citysense-api: %.0f%% of a CPU over %.1f s, resident %zu KiB\n",
                    cpu / seconds / 1e4, seconds, resident(setup.apiPid));
    return at(latencies, 0.99) < 100 && latencies.size() == expected ? 0 : 1;
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
                {{"--port",
                  [&](const std::string& value) { setup.port = static_cast<unsigned>(std::stoul(value)); }},
                 {"--key-file", [&](const std::string& value) { setup.key = readPassword(value); }},
                 {"--uri", [&](const std::string& value) { setup.uri = value; }},
                 {"--username", [&](const std::string& value) { setup.username = value; }},
                 {"--password-file", [&](const std::string& value) { setup.password = readPassword(value); }},
                 {"--clients", [&](const std::string& value) { setup.clients = std::stoi(value); }},
                 {"--readings", [&](const std::string& value) { setup.readings = std::stoi(value); }},
                 {"--rate", [&](const std::string& value) { setup.rate = std::stod(value); }},
                 {"--api-pid", [&](const std::string& value) { setup.apiPid = std::stol(value); }}});
            if (setup.port == 0 || setup.key.empty() || setup.username.empty())
                throw std::invalid_argument("--port, --key-file and --username are required");
        },
        [&] { return measure(setup); });
}
