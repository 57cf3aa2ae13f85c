// The mqtt sink's publisher (core/mqtt-client/Publisher.h) against a real Mosquitto, where it differs
// from a client with threads of its own: a write the socket could not take whole is finished by the
// reader once the broker reads again, with nothing more published to push it; a broker killed while
// messages are published is a lost connection; a server that accepts the TCP connection and
// never answers ends the connect at the connect timeout; a TLS handshake begun while the TCP connect is
// still under way (a broker far away) completes; a persistent MQTT 5 session outlives its
// connection; an idle connection is kept alive by the reader's pings.
#include "Broker.h"

#include <mqtt-client/Publisher.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <csignal>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>
#include <vector>

namespace citysense::mqtt {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;

/// Counts the answers the publisher reports.
class CountingListener : public Publisher::Listener {
public:
    void answered(std::uintptr_t, int reasonCode) override {
        const std::lock_guard<std::mutex> lock(_mutex);
        ++(reasonCode < 0x80 ? _acknowledged : _refused);
        _changed.notify_all();
    }
    void connectionLost() override {
        const std::lock_guard<std::mutex> lock(_mutex);
        _lost = true;
        _changed.notify_all();
    }

    std::size_t acknowledged() const {
        const std::lock_guard<std::mutex> lock(_mutex);
        return _acknowledged;
    }
    /// Waits up to `timeout` until `count` messages are acknowledged or the connection is lost.
    bool waitForAcknowledged(std::size_t count, std::chrono::seconds timeout) {
        std::unique_lock<std::mutex> lock(_mutex);
        return _changed.wait_for(lock, timeout, [&] { return _acknowledged >= count || _lost; }) &&
               _acknowledged >= count;
    }
    std::size_t refused() const {
        const std::lock_guard<std::mutex> lock(_mutex);
        return _refused;
    }
    bool lost() const {
        const std::lock_guard<std::mutex> lock(_mutex);
        return _lost;
    }

private:
    mutable std::mutex _mutex;
    std::condition_variable _changed;
    std::size_t _acknowledged = 0;
    std::size_t _refused = 0;
    bool _lost = false;
};

class MqttPublisher : public ::testing::Test {
protected:
    test::Broker _broker;
    test::BrokerCredentials _gateway = _broker.addGateway("hypo_city", "city_01", "street_01");
    CountingListener _listener;

    ConnectionSettings settings() const {
        ConnectionSettings settings;
        settings.uri = _broker.tlsUri();
        settings.clientId = _gateway.username;
        settings.username = _gateway.username;
        settings.password = _gateway.password;
        settings.caFile = _broker.caFile();
        settings.connectTimeout = 10s;
        return settings;
    }

    /// Stops or continues the broker's process.
    void signalBroker(int signal) const {
        pid_t pid = 0;
        std::ifstream(_broker.directory() + "/mosquitto.pid") >> pid;
        ASSERT_GT(pid, 0);
        ASSERT_EQ(::kill(pid, signal), 0);
    }
};

TEST_F(MqttPublisher, AWriteTheSocketCouldNotTakeWholeIsFinishedByTheReaderOnceTheBrokerReadsAgain) {
    ConnectionSettings batchSettings = settings();
    batchSettings.maxInflight = 65535;  // every message goes out at once: none waits for an answer
    // No keep-alive ping within the wait: a ping would write what is queued as well.
    batchSettings.keepAlive = 600s;
    Publisher publisher(batchSettings, _listener);
    publisher.connect();
    // 16 MiB, far more than the loopback socket's buffers hold while the broker reads nothing.
    constexpr std::size_t kMessages = 2048;
    const std::string payload(8 * 1024, 'x');
    signalBroker(SIGSTOP);
    for (std::size_t i = 0; i < kMessages; ++i)
        ASSERT_EQ(publisher.publish("hypo_city/city_01/street_01/bulk", payload.data(), payload.size(), 1,
                                    false, i),
                  "")
            << "message " << i;
    EXPECT_EQ(_listener.acknowledged(), 0u) << "answered by a stopped broker";
    // Nothing more is published: only the reader can write what is left, as the socket takes it.
    signalBroker(SIGCONT);
    EXPECT_TRUE(_listener.waitForAcknowledged(kMessages, 120s))
        << _listener.acknowledged() << " of " << kMessages << " acknowledged; " << _broker.log();
    EXPECT_EQ(_listener.refused(), 0u);
    EXPECT_FALSE(_listener.lost());
    publisher.disconnect(2s);
}

TEST_F(MqttPublisher, ABrokerKilledWhileMessagesArePublishedIsALostConnection) {
    Publisher publisher(settings(), _listener);
    publisher.connect();
    _broker.kill();
    const std::string payload(1024, 'x');
    std::string failure;
    for (std::size_t i = 0; i < 10000 && failure.empty(); ++i)
        failure = publisher.publish("hypo_city/city_01/street_01/gone", payload.data(), payload.size(), 1,
                                    false, i);
    EXPECT_NE(failure, "");
    for (int wait = 0; wait < 100 && !_listener.lost(); ++wait)
        std::this_thread::sleep_for(100ms);
    EXPECT_TRUE(_listener.lost());
    EXPECT_FALSE(publisher.connected());
}

/// A socket listening on a free loopback port with `backlog`, its address in `address`; -1 on failure.
int listenOnLoopback(int backlog, sockaddr_in& address) {
    const int socket = ::socket(AF_INET, SOCK_STREAM, 0);
    address = {};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (socket >= 0 && ::bind(socket, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
        ::listen(socket, backlog) == 0 &&
        ::getsockname(socket, reinterpret_cast<sockaddr*>(&address), &length) == 0)
        return socket;
    if (socket >= 0)
        ::close(socket);
    return -1;
}

TEST_F(MqttPublisher, AServerThatAcceptsTheConnectionAndNeverAnswersEndsTheConnectAtTheTimeout) {
    // A listening socket nobody accepts from: the kernel completes the TCP handshake, then nothing.
    sockaddr_in address{};
    const int silent = listenOnLoopback(8, address);
    ASSERT_GE(silent, 0);
    const std::string hostPort = "127.0.0.1:" + std::to_string(ntohs(address.sin_port));
    for (const std::string scheme : {"tcp://", "ssl://"}) {
        ConnectionSettings silentSettings = settings();
        silentSettings.uri = scheme + hostPort;
        if (scheme == "tcp://")
            silentSettings.caFile.clear();
        silentSettings.connectTimeout = 500ms;
        Publisher publisher(silentSettings, _listener);
        std::string error;
        const auto started = std::chrono::steady_clock::now();
        try {
            publisher.connect();
        } catch (const std::runtime_error& failure) {
            error = failure.what();
        }
        EXPECT_LT(std::chrono::steady_clock::now() - started, 10s) << scheme;
        EXPECT_THAT(error, HasSubstr("cannot connect to " + scheme + hostPort + " as " + _gateway.username +
                                     ": no answer within"));
        EXPECT_FALSE(publisher.connected());
    }
    ::close(silent);
}

/// The kernel's count of connection requests dropped by full listen queues (TcpExt ListenDrops).
long listenDrops() {
    std::ifstream netstat("/proc/net/netstat");
    std::string names;
    std::string values;
    while (std::getline(netstat, names) && std::getline(netstat, values)) {
        if (names.rfind("TcpExt:", 0) != 0)
            continue;
        std::istringstream nameWords(names);
        std::istringstream valueWords(values);
        for (std::string name, value; nameWords >> name && valueWords >> value;)
            if (name == "ListenDrops")
                return std::stol(value);
    }
    return -1;
}

/// Copies bytes both ways between two sockets until one of them closes.
void pump(int one, int other) {
    pollfd fds[2] = {{one, POLLIN, 0}, {other, POLLIN, 0}};
    char buffer[16 * 1024];
    for (;;) {
        if (::poll(fds, 2, -1) < 0)
            return;
        for (int i = 0; i < 2; ++i) {
            if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            const ssize_t got = ::read(fds[i].fd, buffer, sizeof buffer);
            if (got <= 0 || ::write(fds[1 - i].fd, buffer, static_cast<std::size_t>(got)) != got)
                return;
        }
    }
}

TEST_F(MqttPublisher, ATlsHandshakeBegunBeforeTheTcpConnectEndedCompletes) {
    // A broker far away: the TCP connect is still under way when libmosquitto begins the TLS handshake,
    // and the socket becomes writable before there is anything to read. Played on loopback by a
    // forwarder to the broker whose listen queue is full (backlog 0, one connection nobody accepted):
    // the kernel drops the publisher's first SYN, and the connect ends with its retransmission a
    // second later.
    sockaddr_in address{};
    const int listener = listenOnLoopback(0, address);
    ASSERT_GE(listener, 0);
    const int filler = ::socket(AF_INET, SOCK_STREAM, 0);
    ASSERT_EQ(::connect(filler, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
    const long dropsBefore = listenDrops();
    ASSERT_GE(dropsBefore, 0);
    std::thread forwarder([&] {
        // Once a connection request was dropped, the queue is emptied for the retransmission.
        for (int wait = 0; wait < 500 && listenDrops() == dropsBefore; ++wait)
            std::this_thread::sleep_for(10ms);
        ::close(::accept(listener, nullptr, nullptr));
        const int client = ::accept(listener, nullptr, nullptr);
        const int broker = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in brokerAddress = address;
        brokerAddress.sin_port = htons(static_cast<std::uint16_t>(_broker.tlsPort()));
        if (client >= 0 &&
            ::connect(broker, reinterpret_cast<sockaddr*>(&brokerAddress), sizeof brokerAddress) == 0)
            pump(client, broker);
        ::close(client);
        ::close(broker);
    });
    ConnectionSettings farSettings = settings();
    farSettings.uri = "ssl://127.0.0.1:" + std::to_string(ntohs(address.sin_port));
    {
        Publisher publisher(farSettings, _listener);
        EXPECT_NO_THROW(publisher.connect());
        EXPECT_TRUE(publisher.connected());
        EXPECT_EQ(publisher.publish("hypo_city/city_01/street_01/far", "1", 1, 1, false, 0), "");
        EXPECT_TRUE(_listener.waitForAcknowledged(1, 10s));
        EXPECT_GT(listenDrops(), dropsBefore)
            << "the first SYN was not dropped: the test did not delay the connect";
        publisher.disconnect(2s);
    }
    forwarder.join();
    ::close(filler);
    ::close(listener);
}

TEST_F(MqttPublisher, APersistentMqtt5SessionKeepsItsSubscriptionAndWhatArrivedWhileAway) {
    // MQTT 5 ends a session with its connection unless CONNECT gives it an expiry interval.
    const test::BrokerCredentials operatorIdentity = _broker.addOperator("operator");
    const std::string desired = "config/hypo_city/city_01/street_01/desired";
    ConnectionSettings persistent = settings();
    persistent.mqttVersion = kMqttV5;
    persistent.cleanSession = false;
    std::mutex mutex;
    std::condition_variable arrived;
    std::vector<std::string> payloads;
    const auto keep = [&](const std::string& topic, const std::string& payload) {
        const std::lock_guard<std::mutex> lock(mutex);
        if (topic == desired)
            payloads.push_back(payload);
        arrived.notify_all();
    };
    {
        Publisher gateway(persistent, _listener, keep);
        gateway.connect();
        ASSERT_TRUE(gateway.subscribe(desired, 1));
        // The subscription is in place once a message published after it arrives.
        ConnectionSettings operatorSettings = settings();
        operatorSettings.clientId = operatorSettings.username = operatorIdentity.username;
        operatorSettings.password = operatorIdentity.password;
        CountingListener operatorListener;
        Publisher operatorClient(operatorSettings, operatorListener);
        operatorClient.connect();
        bool subscribed = false;
        for (int attempt = 0; attempt < 50 && !subscribed; ++attempt) {
            ASSERT_EQ(operatorClient.publishAndWait(desired, "probe", 1, false, 5s).kind,
                      Publisher::Answer::Kind::Acknowledged);
            std::unique_lock<std::mutex> lock(mutex);
            subscribed = arrived.wait_for(lock, 100ms, [&] { return !payloads.empty(); });
        }
        ASSERT_TRUE(subscribed);
        gateway.disconnect(2s);
        ASSERT_EQ(operatorClient.publishAndWait(desired, "while away", 1, false, 5s).kind,
                  Publisher::Answer::Kind::Acknowledged);
        operatorClient.disconnect(2s);
    }
    Publisher gateway(persistent, _listener, keep);
    gateway.connect();  // no subscribe: the session has it
    std::unique_lock<std::mutex> lock(mutex);
    EXPECT_TRUE(arrived.wait_for(lock, 10s, [&] { return payloads.back() == "while away"; }));
}

TEST_F(MqttPublisher, AnIdleConnectionIsKeptAliveLongerThanTheBrokerWaitsForAPacket) {
    ConnectionSettings idleSettings = settings();
    idleSettings.keepAlive = 5s;  // libmosquitto's shortest; the broker gives up after 1.5 times that
    Publisher publisher(idleSettings, _listener);
    publisher.connect();
    std::this_thread::sleep_for(12s);
    EXPECT_TRUE(publisher.connected());
    const Publisher::Answer answer =
        publisher.publishAndWait("hypo_city/city_01/street_01/idle", "still here", 1, false, 10s);
    EXPECT_EQ(answer.kind, Publisher::Answer::Kind::Acknowledged);
    EXPECT_FALSE(_listener.lost());
    EXPECT_THAT(_broker.log(), ::testing::Not(HasSubstr("exceeded timeout")));
    publisher.disconnect(2s);
}

}  // namespace
}  // namespace citysense::mqtt
