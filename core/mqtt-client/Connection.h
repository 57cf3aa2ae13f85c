// Connecting to an MQTT broker through paho (the mqtt_source driver, citysense-sub, citysense-api, the
// remote configuration client) with the shared ConnectionSettings, failures explained in plain words.
#pragma once

#include "ConnectionSettings.h"

#include <mqtt/async_client.h>

#include <chrono>
#include <string>

namespace citysense::mqtt {

/// A paho client that connects with the settings and says why when it cannot.
class Client {
public:
    explicit Client(ConnectionSettings settings);
    ~Client();
    Client(const Client&) = delete;
    Client& operator=(const Client&) = delete;

    /// Connects, waiting at most the connect timeout, with `will` as the last will when given. With
    /// fallback brokers, tries each in turn from the one used last, and stays with the first that
    /// accepts. Throws std::runtime_error: "cannot connect to ssl://127.0.0.1:8883 as gateway_1: bad
    /// user name or password", "...: TLS: certificate verify failed", "...: no answer within 10s"; one
    /// such reason per broker when none accepts.
    void connect(const ::mqtt::will_options* will = nullptr);

    /// Disconnects cleanly, waiting at most `timeout`; never throws.
    void disconnect(std::chrono::milliseconds timeout);

    bool connected() const { return _client.is_connected(); }
    ::mqtt::async_client& paho() { return _client; }
    const ConnectionSettings& settings() const { return _settings; }

    /// The broker in use (or tried next): `uri` or one of the fallbacks.
    const std::string& currentUri() const;
    /// "ssl://127.0.0.1:8883 as gateway_1", for messages.
    std::string describe() const;

    /// The reason a paho call failed, in plain words.
    std::string explain(const ::mqtt::exception& error) const;

private:
    std::string diagnoseTransport() const;
    /// One attempt at the current broker.
    void connectCurrent(::mqtt::connect_options_builder builder);

    ConnectionSettings _settings;
    std::size_t _current = 0;  ///< 0: uri, then the fallbacks
    ::mqtt::async_client _client;
    ::mqtt::ssl_options _ssl;
};

}  // namespace citysense::mqtt
