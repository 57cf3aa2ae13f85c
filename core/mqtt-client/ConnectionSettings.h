// What every citysense MQTT client connects with (the mqtt sink's publisher, the mqtt_source driver,
// citysense-sub, citysense-api): one set of options, read and checked once, TLS 1.2 or newer with
// certificate verification on by default, the password from a file or the environment. Free of any
// MQTT library, so that the sink (libmosquitto) and the paho clients share it.
#pragma once

#include <citysense/Options.h>

#include <chrono>
#include <string>
#include <vector>

namespace citysense::mqtt {

/// MQTT protocol versions, as the CONNECT packet numbers them (paho's MQTTVERSION_3_1_1 and
/// MQTTVERSION_5, libmosquitto's MQTT_PROTOCOL_V311 and MQTT_PROTOCOL_V5).
constexpr int kMqttV311 = 4;
constexpr int kMqttV5 = 5;

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
    int mqttVersion = kMqttV311;  ///< kMqttV311 or kMqttV5
    std::chrono::seconds keepAlive{30};
    std::chrono::milliseconds connectTimeout{10000};
    bool cleanSession = true;
    int maxInflight = 1000;  ///< messages sent and not yet acknowledged, and queued in the client unsent
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

}  // namespace citysense::mqtt
