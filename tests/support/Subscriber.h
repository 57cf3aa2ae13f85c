// A plain paho subscriber for the MQTT tests: connects to the test broker over TLS as a provisioned
// identity and records every message it receives (topic and payload, in arrival order). With a
// persistent session it reconnects by itself after a broker restart and gets what was queued.
#pragma once

#include "Broker.h"

#include <mqtt/async_client.h>

#include <functional>
#include <mutex>
#include <string>
#include <vector>

namespace citysense::test {

struct ReceivedMessage {
    std::string topic;
    std::string payload;
    bool retained = false;
};

class Subscriber {
public:
    enum class Session { Clean, Persistent };

    /// Subscribes to `filter` at QoS 1 as `credentials`, asking for the client id `clientId` (by default
    /// the user name, which the broker uses anyway: one Subscriber per identity at a time).
    Subscriber(const Broker& broker, const BrokerCredentials& credentials, const std::string& filter,
               Session session = Session::Clean, const std::string& clientId = "");
    ~Subscriber();

    std::vector<ReceivedMessage> messages() const;
    std::size_t count() const;

    /// Waits (generously) until `condition` holds for the messages received so far.
    bool waitFor(const std::function<bool(const std::vector<ReceivedMessage>&)>& condition) const;
    bool waitForCount(std::size_t count) const;

private:
    ::mqtt::async_client _client;
    mutable std::mutex _mutex;
    std::vector<ReceivedMessage> _messages;
};

}  // namespace citysense::test
