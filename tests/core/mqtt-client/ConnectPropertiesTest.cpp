// What an MQTT 5 client says in its CONNECT: the Receive Maximum it is given (the broker's window of
// QoS 1 messages sent to it and not yet acknowledged, which Mosquitto otherwise keeps at 20) and the
// session expiry of a persistent session (68 years). A stand-in broker on a loopback port records the packet
// and accepts it.
#include <mqtt-client/Connection.h>

#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/StreamSocket.h>

#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace citysense::mqtt {
namespace {

/// Accepts one connection, keeps the CONNECT it reads and answers with a CONNACK of MQTT 5 (success,
/// no properties).
class StandInBroker {
public:
    StandInBroker() : _socket(Poco::Net::SocketAddress("127.0.0.1", 0)) {
        _thread = std::thread([this] {
            // A client that never came must not keep the test waiting.
            if (!_socket.poll(Poco::Timespan(10, 0), Poco::Net::Socket::SELECT_READ))
                return;
            Poco::Net::StreamSocket client = _socket.acceptConnection();
            client.setReceiveTimeout(Poco::Timespan(5, 0));
            std::vector<unsigned char> buffer(4096);
            const int read = client.receiveBytes(buffer.data(), static_cast<int>(buffer.size()));
            _connect.assign(buffer.begin(), buffer.begin() + std::max(read, 0));
            const unsigned char connack[] = {0x20, 0x03, 0x00, 0x00, 0x00};
            client.sendBytes(connack, sizeof connack);
            // Until the client disconnects.
            while (client.receiveBytes(buffer.data(), static_cast<int>(buffer.size())) > 0) {
            }
        });
    }
    ~StandInBroker() { _thread.join(); }

    std::string uri() const { return "tcp://127.0.0.1:" + std::to_string(_socket.address().port()); }

    /// The integer properties of the CONNECT, by identifier (MQTT 5.0, 3.1.2.11).
    std::map<int, std::uint32_t> properties() const {
        std::size_t at = 1;
        varint(at);               // the remaining length
        at += 2 + 4 + 1 + 1 + 2;  // "MQTT", the level, the flags, the keep alive
        const std::size_t length = varint(at);
        const std::size_t end = at + length;
        std::map<int, std::uint32_t> found;
        while (at < end) {
            const int id = byte(at++);
            const std::size_t size = id == 0x11 || id == 0x27 ? 4 : id == 0x21 || id == 0x22 ? 2 : 1;
            if (id != 0x11 && id != 0x27 && id != 0x21 && id != 0x22 && id != 0x17 && id != 0x19)
                throw std::runtime_error("a CONNECT property this test does not read: " + std::to_string(id));
            std::uint32_t value = 0;
            for (std::size_t i = 0; i < size; ++i)
                value = value << 8 | byte(at++);
            found[id] = value;
        }
        return found;
    }

private:
    int byte(std::size_t at) const {
        if (at >= _connect.size())
            throw std::runtime_error("the CONNECT ends early");
        return _connect[at];
    }
    std::size_t varint(std::size_t& at) const {
        std::size_t value = 0;
        for (int shift = 0;; shift += 7) {
            const int next = byte(at++);
            value |= static_cast<std::size_t>(next & 0x7f) << shift;
            if (!(next & 0x80))
                return value;
        }
    }

    Poco::Net::ServerSocket _socket;
    std::vector<unsigned char> _connect;
    std::thread _thread;
};

constexpr int kReceiveMaximum = 0x21;
constexpr int kSessionExpiry = 0x11;

std::map<int, std::uint32_t> connectProperties(int receiveMaximum, bool cleanSession) {
    StandInBroker broker;
    ConnectionSettings settings;
    settings.uri = broker.uri();
    settings.clientId = "ingest_1";
    settings.mqttVersion = MQTTVERSION_5;
    settings.connectTimeout = std::chrono::milliseconds(5000);
    settings.cleanSession = cleanSession;
    settings.receiveMaximum = receiveMaximum;
    {
        Client client(settings);
        client.connect();
        client.disconnect(std::chrono::milliseconds(1000));
    }
    return broker.properties();
}

TEST(ConnectProperties, AReceiveMaximumGivenIsSent) {
    const auto properties = connectProperties(1000, true);
    ASSERT_EQ(properties.count(kReceiveMaximum), 1u);
    EXPECT_EQ(properties.at(kReceiveMaximum), 1000u);
    EXPECT_EQ(properties.count(kSessionExpiry), 0u);
}

TEST(ConnectProperties, WithoutOneTheBrokersOwnLimitApplies) {
    EXPECT_EQ(connectProperties(0, true).count(kReceiveMaximum), 0u);
}

// paho sends a negative int32_t as its lowest byte: the "never" of MQTT, 0xFFFFFFFF (-1 to paho),
// asked for 255 s, after which a broker dropped the session of an ingest away for longer, with the
// messages queued for it.
TEST(ConnectProperties, APersistentSessionOutlivesAnyOutageBesideIt) {
    const auto properties = connectProperties(65535, false);
    EXPECT_EQ(properties.at(kReceiveMaximum), 65535u);
    EXPECT_EQ(properties.at(kSessionExpiry), 0x7fffffffu);
}

}  // namespace
}  // namespace citysense::mqtt
