// Connecting to an MQTT broker the way every citysense client does (the mqtt sink, the mqtt_source
// driver, citysense-sub): one set of options, TLS 1.2 or newer with certificate verification on by
// default, the password from a file or the environment, and failures explained in plain words.
#pragma once

#include <citysense/Options.h>

#include <mqtt/async_client.h>

#include <chrono>
#include <string>
#include <vector>

namespace citysense::mqtt {

/// The TLS 1.2 cipher suites a client offers: forward secret and authenticated encryption (AES-GCM,
/// ChaCha20-Poly1305) only, no CBC or SHA-1 suites. TLS 1.3's suites are all of that kind already.
/// etc/mosquitto/mosquitto.conf offers the same list.
constexpr const char* kTls12Ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
    "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

struct ConnectionSettings {
    std::string uri;  ///< normalized: tcp://host:port or ssl://host:port
    /// More brokers, tried in turn when the one in use cannot be reached (same scheme as `uri`).
    std::vector<std::string> fallbackUris;
    std::string clientId;
    std::string username;
    std::string password;  ///< never logged
    std::string caFile;    ///< empty: the system's trusted CAs
    std::string certFile;  ///< client certificate, optional
    std::string keyFile;
    bool verify = true;
    int mqttVersion = MQTTVERSION_3_1_1;
    std::chrono::seconds keepAlive{30};
    std::chrono::milliseconds connectTimeout{10000};
    bool cleanSession = true;
    int maxInflight = 1000;  ///< messages sent and not yet acknowledged, and queued in paho unsent
    /// MQTT 5: QoS 1 and 2 messages the broker may send before this client acknowledged them (the
    /// CONNECT's Receive Maximum); 0 sends none, and the broker uses its own limit (Mosquitto's
    /// max_inflight_messages, 20 by default; with MQTT 3.1.1 always that).
    int receiveMaximum = 0;

    bool tls() const { return uri.rfind("ssl://", 0) == 0; }
};

/// The connection options shared by the mqtt sink and the mqtt_source driver, for their tables.
OptionTable connectionOptions(const std::string& clientIdDescription);

/// Reads the connection options, and the password. The client id is `client_id`; by default the user
/// name, the id a broker that binds client ids to user names (etc/mosquitto) gives the connection
/// anyway, and `anonymousClientId` when there is no user name. Throws OptionError naming the key: a bad
/// uri, an unreadable password file, an unset password variable, TLS older than 1.2, a certificate
/// without its key.
ConnectionSettings readConnectionSettings(const Options& options, const std::string& anonymousClientId);

/// A warning when `settings` asks for a client id other than its user name, which a broker that binds
/// client ids to user names uses instead; empty when they agree or there is no user name.
std::string clientIdWarning(const ConnectionSettings& settings);

/// tcp://, ssl://, mqtt:// (= tcp) and mqtts:// (= ssl) URIs as "tcp://host:port" or "ssl://host:port",
/// with the default port (1883 or 8883) added when none is given; host[:port] as net::splitHostPort()
/// reads it (an IPv6 address in brackets). Throws std::invalid_argument naming the URI.
std::string normalizeUri(const std::string& uri);

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
