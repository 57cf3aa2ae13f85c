#include "Connection.h"

#include "TlsProbe.h"

#include <citysense/Format.h>

#include <MQTTAsync.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <mutex>
#include <stdexcept>

namespace citysense::mqtt {

namespace {

/// The session expiry interval of a persistent session: 2^31 - 1 s, 68 years. MQTT's "never",
/// 0xFFFFFFFF, cannot be given: paho (paho.mqtt.cpp 1.2 over paho.mqtt.c 1.3) takes an int32_t and
/// sends a negative one as its lowest byte, so -1 asked the broker for 255 s.
constexpr std::int32_t kSessionNeverExpires = std::numeric_limits<std::int32_t>::max();

::mqtt::create_options createOptions(const ConnectionSettings& settings) {
    // paho refuses publishes beyond its buffer of unsent commands (100 by default); callers bound
    // what they have outstanding, so the buffer holds that much. Nothing is queued while
    // disconnected: a publish then fails at once, and the caller's spool keeps the reading.
    ::mqtt::create_options options(settings.mqttVersion, std::max(settings.maxInflight, 100));
    options.set_send_while_disconnected(false);
    return options;
}

/// paho.mqtt.c (built without HIGH_PERFORMANCE, as Debian's is) records every function entry and exit
/// and formats a protocol line for every packet into an in-memory trace that nothing reads unless
/// MQTT_C_CLIENT_TRACE names a destination: under a lock, some 15 % of an ingest's CPU per message. At
/// the error level it records only errors. Set once for the process; left alone when someone traces.
void quietPahoTrace() {
    static std::once_flag once;
    std::call_once(once, [] {
        if (!std::getenv("MQTT_C_CLIENT_TRACE"))
            MQTTAsync_setTraceLevel(MQTTASYNC_TRACE_ERROR);
    });
}

}  // namespace

Client::Client(ConnectionSettings settings)
    : _settings(std::move(settings)), _client(_settings.uri, _settings.clientId, createOptions(_settings)) {
    quietPahoTrace();
    // The oldest version accepted; paho negotiates 1.3 when the broker offers it.
    _ssl.set_ssl_version(MQTT_SSL_VERSION_TLS_1_2);
    _ssl.set_enabled_cipher_suites(kTls12Ciphers);
    _ssl.set_enable_server_cert_auth(_settings.verify);
    _ssl.set_verify(_settings.verify);
    if (!_settings.caFile.empty())
        _ssl.set_trust_store(_settings.caFile);
    if (!_settings.certFile.empty()) {
        _ssl.set_key_store(_settings.certFile);
        _ssl.set_private_key(_settings.keyFile);
    }
}

Client::~Client() {
    disconnect(std::chrono::milliseconds(0));
}

const std::string& Client::currentUri() const {
    return _current == 0 ? _settings.uri : _settings.fallbackUris[_current - 1];
}

std::string Client::describe() const {
    return currentUri() + (_settings.username.empty() ? "" : " as " + _settings.username);
}

void Client::connect(const ::mqtt::will_options* will) {
    ::mqtt::connect_options_builder builder;
    builder.mqtt_version(_settings.mqttVersion)
        .max_inflight(_settings.maxInflight)
        .keep_alive_interval(_settings.keepAlive)
        .connect_timeout(std::chrono::duration_cast<std::chrono::seconds>(_settings.connectTimeout) +
                         std::chrono::seconds(1));
    if (_settings.mqttVersion == MQTTVERSION_5) {
        builder.clean_start(_settings.cleanSession);
        ::mqtt::properties properties;
        // MQTT 5 ends a session with its connection unless the client gives it an expiry interval
        // (MQTT 5.0, 3.1.2.11.2): a persistent one outlives any outage, as with MQTT 3.1.1.
        if (!_settings.cleanSession)
            properties.add({::mqtt::property::SESSION_EXPIRY_INTERVAL, kSessionNeverExpires});
        if (_settings.receiveMaximum > 0)
            properties.add({::mqtt::property::RECEIVE_MAXIMUM, _settings.receiveMaximum});
        builder.properties(properties);
    } else
        builder.clean_session(_settings.cleanSession);
    if (!_settings.username.empty())
        builder.user_name(_settings.username);
    if (!_settings.password.empty())
        builder.password(_settings.password);
    if (will)
        builder.will(*will);
    if (_settings.tls())
        builder.ssl(_ssl);
    const std::size_t brokers = 1 + _settings.fallbackUris.size();
    if (brokers == 1)
        return connectCurrent(builder);
    std::string failures;
    for (std::size_t tried = 0; tried < brokers; ++tried) {
        try {
            return connectCurrent(builder);
        } catch (const std::runtime_error& error) {
            failures += std::string(failures.empty() ? "" : "; ") + error.what();
            _current = (_current + 1) % brokers;
        }
    }
    throw std::runtime_error("no broker of " + std::to_string(brokers) +
                             " accepted a connection: " + failures);
}

void Client::connectCurrent(::mqtt::connect_options_builder builder) {
    if (!_settings.fallbackUris.empty())
        builder.servers(std::make_shared<::mqtt::string_collection>(currentUri()));
    try {
        ::mqtt::token_ptr token = _client.connect(builder.finalize());
        if (!token->wait_for(_settings.connectTimeout))
            throw std::runtime_error("no answer within " +
                                     formatDuration(_settings.connectTimeout.count() * 1000));
    } catch (const ::mqtt::exception& error) {
        throw std::runtime_error("cannot connect to " + describe() + ": " + explain(error));
    } catch (const std::runtime_error& error) {
        throw std::runtime_error("cannot connect to " + describe() + ": " + error.what());
    }
}

std::string Client::explain(const ::mqtt::exception& error) const {
    const int code = error.get_return_code();
    const int reason = error.get_reason_code();
    // MQTT 3.1.1 CONNACK return codes arrive as the return code, MQTT 5 reason codes as the reason.
    if (code == 4 || code == 5 || reason == ::mqtt::ReasonCode::BAD_USER_NAME_OR_PASSWORD ||
        reason == ::mqtt::ReasonCode::NOT_AUTHORIZED)
        return "not authorised: bad user name or password, or no right to connect";
    if (code == 2 || reason == ::mqtt::ReasonCode::CLIENT_IDENTIFIER_NOT_VALID)
        return "the broker rejected client id '" + _settings.clientId + "'";
    if (code == 1 || reason == ::mqtt::ReasonCode::UNSUPPORTED_PROTOCOL_VERSION)
        return "the broker does not speak this MQTT version";
    if (code == 3 || reason == ::mqtt::ReasonCode::SERVER_UNAVAILABLE)
        return "the broker is unavailable";
    if (code == MQTTASYNC_FAILURE)
        return diagnoseTransport();
    return error.what();
}

std::string Client::diagnoseTransport() const {
    // paho says only "TCP/TLS connect failure".
    return transportProblem(currentUri(), _settings);
}

void Client::disconnect(std::chrono::milliseconds timeout) {
    try {
        if (_client.is_connected())
            _client.disconnect(static_cast<int>(timeout.count()))
                ->wait_for(timeout + std::chrono::seconds(1));
    } catch (const ::mqtt::exception&) {
        // Already gone: nothing to do.
    }
}

}  // namespace citysense::mqtt
