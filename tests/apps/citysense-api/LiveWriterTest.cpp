// The live streams' writer over real loopback connections: the preamble, then each event a stream wants,
// in order; a client that does not read cut off and counted while another gets everything, and none that
// reads cut off when one round brings more events than its queue holds; a key that no longer admits its
// stream (revoked, expired, made again) ended with `event: end` and offered no more events; keep-alives;
// a client that goes away closed at once; a connection it cannot take over closed and counted, the others
// going on; over TLS, a client that stops reading until its socket fills, then reads on, gets every byte in
// order.
#include "LiveWriter.h"
#include "Programs.h"

#include <Poco/Net/Context.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/TemporaryFile.h>

#include <gtest/gtest.h>

#include <chrono>
#include <mutex>
#include <thread>

namespace citysense::api {
namespace {

using namespace std::chrono_literals;

constexpr Micros kGather = 1000;
constexpr Micros kKeepAlive = 15 * kMicrosPerSecond;

std::shared_ptr<const LiveObservation> observation(Quantity quantity, std::string data = "{}") {
    auto made = std::make_shared<LiveObservation>();
    made->datastream = 3;
    made->thing = 1;
    made->quantity = quantity;
    made->system = "hypo_city";
    made->city = "city_01";
    made->street = "street_01";
    made->data = std::move(data);
    return made;
}

/// A connected pair: the client's end, and the server's end to hand to the writer.
struct Connection {
    explicit Connection(Poco::Net::ServerSocket& listener, int receiveBuffer = 0) {
        if (receiveBuffer)
            client.setReceiveBufferSize(receiveBuffer);
        client.connect(listener.address());
        server = listener.acceptConnection();
        client.setReceiveTimeout(Poco::Timespan(0, 100 * 1000));
    }

    /// What the client receives until `text` is in it, or `timeout` passed.
    std::string readUntil(const std::string& text, std::chrono::milliseconds timeout = 5s) {
        const auto end = std::chrono::steady_clock::now() + timeout;
        while (received.find(text) == std::string::npos && std::chrono::steady_clock::now() < end) {
            char chunk[65536];
            try {
                const int count = client.receiveBytes(chunk, sizeof chunk);
                if (count <= 0)
                    break;
                received.append(chunk, static_cast<std::size_t>(count));
            } catch (const Poco::TimeoutException&) {
            }
        }
        return received;
    }

    /// Whether the server closed the connection within `timeout` (what it still sends is read).
    bool closedWithin(std::chrono::milliseconds timeout) {
        const auto end = std::chrono::steady_clock::now() + timeout;
        while (std::chrono::steady_clock::now() < end) {
            char chunk[65536];
            try {
                if (client.receiveBytes(chunk, sizeof chunk) <= 0)
                    return true;
            } catch (const Poco::TimeoutException&) {
            } catch (const Poco::Exception&) {
                return true;  // reset
            }
        }
        return false;
    }

    Poco::Net::StreamSocket client{Poco::Net::SocketAddress::IPv4};  ///< made now: its buffer is set before
    Poco::Net::StreamSocket server;
    std::string received;
};

ApiKey liveKey(const std::string& name, const std::string& hash) {
    ApiKey key;
    key.name = name;
    key.hash = hash;
    key.scopes = kLiveRead;
    return key;
}

class LiveWriterTest : public ::testing::Test {
protected:
    /// Opens a stream with `filter` and `key`, and hands `connection` to the writer.
    std::shared_ptr<LiveStream> attach(Connection& connection, LiveFilter filter = {},
                                       const ApiKey& key = liveKey("key", "hash")) {
        auto opening = _hub.open(std::move(filter), key.name, 100, 100, std::nullopt, 0);
        _writer->attach(
            {opening.stream, connection.server, "HTTP/1.1 200 OK\r\n\r\nretry: 2000\n\n", 0, key});
        return opening.stream;
    }

    /// Has the writer find `keys` from its next key check on.
    void setKeys(KeySet keys) {
        std::lock_guard<std::mutex> lock(_keysMutex);
        _keys = std::make_shared<const KeySet>(std::move(keys));
    }

    /// The value of `name` in the hub's metrics.
    std::string metric(const std::string& name) const {
        const std::string text = _hub.prometheusText();
        const auto at = text.find("\n" + name + " ");
        return at == std::string::npos
                   ? ""
                   : text.substr(at + name.size() + 2, text.find('\n', at + 1) - at - name.size() - 2);
    }

    /// Whether `name` has `value` within `timeout`.
    bool metricWithin(const std::string& name, const std::string& value, std::chrono::milliseconds timeout) {
        const auto end = std::chrono::steady_clock::now() + timeout;
        while (metric(name) != value && std::chrono::steady_clock::now() < end)
            std::this_thread::sleep_for(10ms);
        return metric(name) == value;
    }

    void startWriter(Micros keepAlive = kKeepAlive, Micros gather = kGather) {
        _writer = std::make_unique<LiveWriter>(_hub, gather, keepAlive, [this] {
            std::lock_guard<std::mutex> lock(_keysMutex);
            return _keys;
        });
    }

    std::mutex _keysMutex;
    std::shared_ptr<const KeySet> _keys = std::make_shared<const KeySet>(KeySet{liveKey("key", "hash")});
    LiveHub _hub{100, 60 * kMicrosPerSecond, 5};
    Poco::Net::ServerSocket _listener{Poco::Net::SocketAddress("127.0.0.1", 0)};
    std::unique_ptr<LiveWriter> _writer;
};

TEST_F(LiveWriterTest, WritesThePreambleThenEachEventItsStreamWantsInOrder) {
    startWriter();
    Connection connection(_listener);
    LiveFilter no2;
    no2.quantities = {Quantity::NO2};
    attach(connection, no2);
    EXPECT_EQ(connection.readUntil("retry: 2000\n\n"), "HTTP/1.1 200 OK\r\n\r\nretry: 2000\n\n");
    _hub.publish(observation(Quantity::NO2, "{\"n\":1}"), 0);
    _hub.publish(observation(Quantity::SO2, "{\"n\":2}"), 0);
    _hub.publish(observation(Quantity::NO2, "{\"n\":3}"), 0);
    const std::string text = connection.readUntil("{\"n\":3}");
    const auto first = text.find("data: {\"n\":1}\n\n");
    ASSERT_NE(first, std::string::npos) << text;
    EXPECT_GT(text.find("data: {\"n\":3}\n\n"), first);
    EXPECT_EQ(text.find("\"n\":2"), std::string::npos);
    EXPECT_TRUE(metricWithin("citysense_api_live_events_sent_total", "2", 10s));
}

TEST_F(LiveWriterTest, CutsOffAClientThatDoesNotReadAndCountsItWhileAnotherGetsEverything) {
    startWriter();
    Connection slow(_listener, 4096);
    Connection fast(_listener);
    attach(slow);
    attach(fast);
    // Events of 64 KiB, more than the slow client's socket buffers and its queue of 5 hold.
    constexpr int kEvents = 200;
    std::thread reader([&] { fast.readUntil("\"n\":" + std::to_string(kEvents - 1) + ",", 30s); });
    for (int event = 0; event < kEvents; ++event) {
        _hub.publish(observation(Quantity::NO2,
                                 "{\"n\":" + std::to_string(event) + "," + std::string(64 * 1024, ' ') + "}"),
                     0);
        std::this_thread::sleep_for(1ms);
    }
    reader.join();
    for (int event = 0; event < kEvents; ++event)
        EXPECT_NE(fast.received.find("\"n\":" + std::to_string(event) + ","), std::string::npos) << event;
    EXPECT_TRUE(metricWithin("citysense_api_live_slow_consumers_total", "1", 5s));
    EXPECT_TRUE(slow.closedWithin(10s));
    EXPECT_EQ(metric("citysense_api_live_streams"), "1");
}

TEST_F(LiveWriterTest, ARoundWithMoreEventsThanAQueueHoldsCutsOffNoClientThatReads) {
    startWriter(kKeepAlive, 500 * 1000);  // the events below all wait for one round
    Connection connection(_listener);
    attach(connection);
    connection.readUntil("retry: 2000\n\n");
    for (int event = 0; event < 50; ++event)
        _hub.publish(observation(Quantity::NO2, "{\"n\":" + std::to_string(event) + "}"), 0);
    EXPECT_NE(connection.readUntil("{\"n\":49}").find("{\"n\":49}"), std::string::npos);
    EXPECT_EQ(metric("citysense_api_live_slow_consumers_total"), "0");
}

TEST_F(LiveWriterTest, EndsTheStreamOfAKeyThatNoLongerAdmitsIt) {
    ApiKey expired = liveKey("expired", "hash-e");
    ApiKey madeAgain = liveKey("made-again", "hash-m");
    ApiKey withoutScope = liveKey("without-scope", "hash-w");
    setKeys({liveKey("key", "hash"), liveKey("revoked", "hash-r"), expired, madeAgain, withoutScope});
    startWriter();
    Connection kept(_listener);
    std::vector<std::unique_ptr<Connection>> ending;
    for (const ApiKey& key : {liveKey("revoked", "hash-r"), expired, madeAgain, withoutScope}) {
        ending.push_back(std::make_unique<Connection>(_listener));
        attach(*ending.back(), {}, key);
        ending.back()->readUntil("retry: 2000\n\n");
    }
    attach(kept);
    kept.readUntil("retry: 2000\n\n");
    expired.expires = nowMicros() - 1;
    madeAgain.hash = "hash-m2";
    withoutScope.scopes = kHistoryRead;
    setKeys({liveKey("key", "hash"), expired, madeAgain, withoutScope});
    const auto start = std::chrono::steady_clock::now();
    for (const auto& connection : ending) {
        EXPECT_NE(connection->readUntil("event: end\n", 3s).find("the API key was revoked or has expired"),
                  std::string::npos);
        EXPECT_TRUE(connection->closedWithin(10s));
    }
    EXPECT_LT(std::chrono::steady_clock::now() - start, 2500ms);
    EXPECT_TRUE(metricWithin("citysense_api_live_streams", "1", 10s));
    _hub.publish(observation(Quantity::NO2, "{\"n\":1}"), 0);
    EXPECT_NE(kept.readUntil("{\"n\":1}").find("{\"n\":1}"), std::string::npos);
    EXPECT_EQ(kept.received.find("event: end"), std::string::npos);
}

TEST_F(LiveWriterTest, OffersAStreamWhoseEndWaitsForAFullSocketNoMoreEvents) {
    startWriter();
    Connection connection(_listener, 4096);  // it never reads
    const std::shared_ptr<LiveStream> stream = attach(connection);
    // More than its socket and the kernel's buffers hold: its end event waits behind it.
    _hub.publish(observation(Quantity::NO2, "{\"n\":0," + std::string(16 << 20, ' ') + "}"), 0);
    std::this_thread::sleep_for(200ms);
    setKeys({});
    // Its stream is closed at the key check (once a second), not when its end gets out; what is
    // published after is not its. (The wait is generous for a loaded machine.)
    EXPECT_TRUE(metricWithin("citysense_api_live_streams", "0", 10s));
    for (int event = 1; event <= 20; ++event)
        _hub.publish(observation(Quantity::NO2, "{\"n\":" + std::to_string(event) + "}"), 0);
    std::this_thread::sleep_for(200ms);
    EXPECT_FALSE(stream->slow());
    EXPECT_EQ(metric("citysense_api_live_slow_consumers_total"), "0");
}

TEST_F(LiveWriterTest, WritesAKeepAliveAfterASilence) {
    startWriter(200 * 1000);
    Connection connection(_listener);
    attach(connection);
    EXPECT_NE(connection.readUntil(": keep-alive\n\n", 3s).find(": keep-alive\n\n"), std::string::npos);
}

TEST_F(LiveWriterTest, ClosesAStreamWhoseClientWentAwayAtOnce) {
    startWriter();
    Connection connection(_listener);
    attach(connection);
    connection.readUntil("retry: 2000\n\n");
    EXPECT_EQ(metric("citysense_api_live_streams"), "1");
    connection.client.close();
    EXPECT_TRUE(metricWithin("citysense_api_live_streams", "0", 5s));
}

TEST_F(LiveWriterTest, EndsEveryStreamWhenTheHubEndsThem) {
    startWriter();
    Connection one(_listener);
    Connection two(_listener);
    attach(one);
    attach(two);
    _hub.endAll();
    EXPECT_TRUE(one.closedWithin(10s));
    EXPECT_TRUE(two.closedWithin(10s));
    EXPECT_TRUE(metricWithin("citysense_api_live_streams", "0", 5s));
}

TEST_F(LiveWriterTest, ClosesAConnectionItCannotTakeOverAndGoesOn) {
    startWriter();
    Connection closed(_listener);
    closed.server.close();
    Connection open(_listener);
    attach(closed);
    attach(open);
    EXPECT_EQ(open.readUntil("retry: 2000\n\n"), "HTTP/1.1 200 OK\r\n\r\nretry: 2000\n\n");
    EXPECT_TRUE(metricWithin("citysense_api_live_streams", "1", 10s));
    _hub.publish(observation(Quantity::NO2, "{\"n\":1}"), 0);
    EXPECT_NE(open.readUntil("{\"n\":1}").find("{\"n\":1}"), std::string::npos);
    Connection later(_listener);
    attach(later);
    EXPECT_EQ(later.readUntil("retry: 2000\n\n"), "HTTP/1.1 200 OK\r\n\r\nretry: 2000\n\n");
    EXPECT_EQ(metric("citysense_api_live_connections_not_taken_over_total"), "1");
}

TEST_F(LiveWriterTest, CountsThePreamblesEventsAsSentOnceItTakesTheConnectionOver) {
    startWriter();
    Connection connection(_listener);
    auto opening = _hub.open({}, "key", 100, 100, std::nullopt, 0);
    _writer->attach(
        {opening.stream, connection.server, "HTTP/1.1 200 OK\r\n\r\n", 3, liveKey("key", "hash")});
    EXPECT_TRUE(metricWithin("citysense_api_live_events_sent_total", "3", 10s));
    Connection closed(_listener);
    closed.server.close();
    auto refused = _hub.open({}, "key", 100, 100, std::nullopt, 0);
    _writer->attach({refused.stream, closed.server, "HTTP/1.1 200 OK\r\n\r\n", 4, liveKey("key", "hash")});
    EXPECT_TRUE(metricWithin("citysense_api_live_streams", "1", 10s));
    EXPECT_EQ(metric("citysense_api_live_events_sent_total"), "3");
}

TEST_F(LiveWriterTest, WritesATlsClientThatStopsReadingUntilItsSocketFillsEveryByteInOrder) {
    Poco::TemporaryFile directory;
    directory.createDirectories();
    const std::string certificate = directory.path() + "/live.crt";
    const std::string key = directory.path() + "/live.key";
    test::runChecked({"openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                      "-nodes", "-keyout", key, "-out", certificate, "-days", "2", "-subj", "/CN=127.0.0.1"});
    using Poco::Net::Context;
    Poco::Net::SecureServerSocket listener(
        Poco::Net::SocketAddress("127.0.0.1", 0), 64,
        new Context(Context::SERVER_USE, key, certificate, "", Context::VERIFY_NONE));
    startWriter();
    // The client's handshake waits for the writer's side of it (which waits to read, then to write).
    Poco::Net::StreamSocket client;
    std::thread connecting([&] {
        client = Poco::Net::SecureStreamSocket(
            listener.address(), new Context(Context::CLIENT_USE, "", "", "", Context::VERIFY_NONE));
    });
    Poco::Net::StreamSocket server = listener.acceptConnection();
    auto opening = _hub.open({}, "key", 100, 100, std::nullopt, 0);
    const std::string preamble = "HTTP/1.1 200 OK\r\n\r\nretry: 2000\n\n";
    _writer->attach({opening.stream, server, preamble, 0, liveKey("key", "hash")});
    connecting.join();
    // Four events of 4 MiB while the client reads nothing: more than the sockets' buffers hold, fewer
    // than its queue of 5.
    std::vector<std::string> data;
    for (int event = 0; event < 4; ++event) {
        data.push_back("{\"n\":" + std::to_string(event) + "," + std::string(4 << 20, 'x') + "}");
        _hub.publish(observation(Quantity::NO2, data.back()), 0);
        std::this_thread::sleep_for(100ms);
    }
    std::string received;
    client.setReceiveTimeout(Poco::Timespan(5, 0));
    const std::string last = "{\"n\":3,";
    while (received.find(last) == std::string::npos ||
           received.compare(received.size() - 3, 3, "}\n\n") != 0) {
        char chunk[65536];
        const int count = client.receiveBytes(chunk, sizeof chunk);
        ASSERT_GT(count, 0);
        received.append(chunk, static_cast<std::size_t>(count));
    }
    // The ids are consecutive from the first.
    const auto idAt = received.find("id: ");
    ASSERT_NE(idAt, std::string::npos);
    const std::uint64_t first = std::stoull(received.substr(idAt + 4, received.find('\n', idAt) - idAt - 4));
    std::string expected = preamble;
    for (std::size_t event = 0; event < data.size(); ++event)
        expected +=
            "id: " + std::to_string(first + event) + "\nevent: observation\ndata: " + data[event] + "\n\n";
    EXPECT_EQ(received.size(), expected.size());
    EXPECT_TRUE(received == expected);
    EXPECT_EQ(metric("citysense_api_live_slow_consumers_total"), "0");
}

}  // namespace
}  // namespace citysense::api
