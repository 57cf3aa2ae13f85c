#include "Publisher.h"

#include "TlsProbe.h"

#include <citysense/Format.h>

#include <net/TcpAddress.h>

#include <mosquitto.h>
#include <mqtt_protocol.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <system_error>

namespace citysense::mqtt {

namespace {

using Clock = std::chrono::steady_clock;

/// How often the reader lets libmosquitto check the keep-alive (it sends a PINGREQ when the connection
/// has been quiet for the keep-alive interval, and gives up when no PINGRESP came within it).
constexpr std::chrono::seconds kMiscInterval{1};

/// libmosquitto refuses keep-alive intervals below 5 s (other than 0, none).
constexpr std::chrono::seconds kShortestKeepAlive{5};

/// Initialises libmosquitto once, and has a write to a connection the broker reset fail with EPIPE
/// instead of ending the process with SIGPIPE: libmosquitto writes with write() and SSL_write(), which
/// raise it. paho, which every citysense client used before, ignores SIGPIPE in the same way; a
/// disposition the program chose is kept.
void initialiseLibrary() {
    static std::once_flag once;
    std::call_once(once, [] {
        mosquitto_lib_init();
        struct sigaction current {};
        if (::sigaction(SIGPIPE, nullptr, &current) == 0 && current.sa_handler == SIG_DFL)
            ::signal(SIGPIPE, SIG_IGN);
    });
}

void check(int rc, const char* what) {
    if (rc != MOSQ_ERR_SUCCESS)
        throw std::runtime_error(std::string(what) + ": " + mosquitto_strerror(rc));
}

/// Gives a persistent MQTT 5 session its expiry interval (MQTT 5.0, 3.1.2.11.2: without one the session
/// ends with the connection): 0xFFFFFFFF, never. libmosquitto 2.0 takes CONNECT properties only in its
/// blocking mosquitto_connect_bind_v5(), which keeps them on the handle before it checks its arguments;
/// given port -1 it keeps them and returns MOSQ_ERR_INVAL without connecting, and the asynchronous
/// connect that follows sends them.
void keepSessionAfterDisconnect(mosquitto* handle, const std::string& host) {
    mosquitto_property* properties = nullptr;
    check(mosquitto_property_add_int32(&properties, MQTT_PROP_SESSION_EXPIRY_INTERVAL,
                                       std::numeric_limits<std::uint32_t>::max()),
          "session expiry");
    const int rc = mosquitto_connect_bind_v5(handle, host.c_str(), -1, 60, nullptr, properties);
    mosquitto_property_free_all(&properties);
    if (rc != MOSQ_ERR_INVAL)
        throw std::runtime_error(std::string("cannot set the session expiry: ") + mosquitto_strerror(rc));
}

}  // namespace

Publisher::Publisher(ConnectionSettings settings, Listener& listener, MessageHandler handler)
    : _settings(std::move(settings)), _listener(listener), _handler(std::move(handler)) {
    initialiseLibrary();
    _wakeFd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (_wakeFd < 0)
        throw std::system_error(errno, std::generic_category(), "eventfd");
}

Publisher::~Publisher() {
    disconnect(std::chrono::milliseconds(0));
    ::close(_wakeFd);
}

const std::string& Publisher::currentUri() const {
    return _current == 0 ? _settings.uri : _settings.fallbackUris[_current - 1];
}

std::string Publisher::describe() const {
    return currentUri() + (_settings.username.empty() ? "" : " as " + _settings.username);
}

std::string Publisher::reasonText(int reasonCode) {
    return mosquitto_reason_string(reasonCode);
}

void Publisher::connect(const Will* will) {
    const std::size_t brokers = 1 + _settings.fallbackUris.size();
    std::string failures;
    for (std::size_t tried = 0; tried < brokers; ++tried) {
        try {
            return connectCurrent(will);
        } catch (const std::runtime_error& error) {
            if (brokers == 1)
                throw;
            failures += std::string(failures.empty() ? "" : "; ") + error.what();
            _current = (_current + 1) % brokers;
        }
    }
    throw std::runtime_error("no broker of " + std::to_string(brokers) +
                             " accepted a connection: " + failures);
}

void Publisher::connectCurrent(const Will* will) {
    try {
        const std::string address = currentUri().substr(currentUri().find("://") + 3);
        const net::HostPort broker = net::splitHostPort(address, net::AddressUse::Connect);
        createHandle(will);
        if (_settings.mqttVersion == kMqttV5 && !_settings.cleanSession)
            keepSessionAfterDisconnect(_handle, broker.host);
        const auto keepAlive = std::max(_settings.keepAlive, kShortestKeepAlive);
        int rc;
        {
            const std::lock_guard<std::mutex> lock(_handleMutex);
            rc = mosquitto_connect_bind_async(_handle, broker.host.c_str(), broker.port,
                                              static_cast<int>(keepAlive.count()), nullptr);
        }
        if (rc == MOSQ_ERR_EAI)
            throw std::runtime_error("cannot resolve " + broker.host + ": " + gai_strerror(errno));
        // A connection to a nearby broker may be made, and its TLS handshake fail, within the call.
        if (rc != MOSQ_ERR_SUCCESS)
            throw std::runtime_error(transportProblem(currentUri(), _settings));
        _reader = std::thread([this] { readerLoop(); });
        std::unique_lock<std::mutex> state(_stateMutex);
        _stateChanged.wait_for(state, _settings.connectTimeout, [this] { return _connack || _lost; });
        if (_connack && *_connack == 0)
            return;
        if (_connack)
            throw std::runtime_error(explainRefusal(*_connack));
        if (_lost) {
            state.unlock();
            throw std::runtime_error(transportProblem(currentUri(), _settings));
        }
        throw std::runtime_error("no answer within " +
                                 formatDuration(_settings.connectTimeout.count() * 1000));
    } catch (const std::runtime_error& error) {
        closeHandle();
        throw std::runtime_error("cannot connect to " + describe() + ": " + error.what());
    } catch (const std::invalid_argument& error) {
        closeHandle();
        throw std::runtime_error("cannot connect to " + describe() + ": " + error.what());
    }
}

void Publisher::createHandle(const Will* will) {
    {
        const std::lock_guard<std::mutex> state(_stateMutex);
        _connack.reset();
        _lost = false;
        _lossReported = false;
        _stopping = false;
    }
    _handle = mosquitto_new(_settings.clientId.c_str(), _settings.cleanSession, this);
    if (!_handle)
        throw std::runtime_error(std::string("cannot create an MQTT client: ") + std::strerror(errno));
    check(mosquitto_int_option(_handle, MOSQ_OPT_PROTOCOL_VERSION,
                               _settings.mqttVersion == kMqttV5 ? MQTT_PROTOCOL_V5 : MQTT_PROTOCOL_V311),
          "MQTT version");
    // Messages beyond the window wait in libmosquitto, and go out as acknowledgements make room.
    check(mosquitto_int_option(_handle, MOSQ_OPT_SEND_MAXIMUM, std::clamp(_settings.maxInflight, 1, 65535)),
          "max_inflight");
    // Each message goes out at once: with Nagle's algorithm the last of a burst would wait for the
    // broker's delayed TCP acknowledgement (~40 ms).
    check(mosquitto_int_option(_handle, MOSQ_OPT_TCP_NODELAY, 1), "TCP_NODELAY");
    mosquitto_connect_v5_callback_set(_handle, &Publisher::onConnect);
    mosquitto_publish_v5_callback_set(_handle, &Publisher::onPublish);
    mosquitto_message_v5_callback_set(_handle, &Publisher::onMessage);
    if (!_settings.username.empty())
        check(mosquitto_username_pw_set(_handle, _settings.username.c_str(),
                                        _settings.password.empty() ? nullptr : _settings.password.c_str()),
              "user name");
    if (will)
        check(mosquitto_will_set_v5(_handle, will->topic.c_str(), static_cast<int>(will->payload.size()),
                                    will->payload.data(), will->qos, will->retain, nullptr),
              "last will");
    if (!_settings.tls())
        return;
    const char* certFile = _settings.certFile.empty() ? nullptr : _settings.certFile.c_str();
    const char* keyFile = _settings.keyFile.empty() ? nullptr : _settings.keyFile.c_str();
    if (_settings.caFile.empty()) {
        // The system's trusted CAs (libmosquitto wants a CA file or directory besides).
        check(mosquitto_int_option(_handle, MOSQ_OPT_TLS_USE_OS_CERTS, 1), "system CAs");
        check(mosquitto_tls_set(_handle, nullptr, X509_get_default_cert_dir(), certFile, keyFile, nullptr),
              "TLS files");
    } else {
        check(mosquitto_tls_set(_handle, _settings.caFile.c_str(), nullptr, certFile, keyFile, nullptr),
              "TLS files");
    }
    // TLS 1.2 is the oldest accepted; 1.3 is used when the broker offers it.
    check(mosquitto_tls_opts_set(_handle, _settings.verify ? 1 : 0, "tlsv1.2", kTls12Ciphers), "TLS options");
    check(mosquitto_tls_insecure_set(_handle, !_settings.verify), "TLS host name check");
}

void Publisher::closeHandle() {
    {
        const std::lock_guard<std::mutex> state(_stateMutex);
        _stopping = true;
    }
    wake();
    if (_reader.joinable())
        _reader.join();
    const std::lock_guard<std::mutex> lock(_handleMutex);
    if (_handle)
        mosquitto_destroy(_handle);
    _handle = nullptr;
    _contexts.clear();
    _readerWatchesWrites = false;
}

std::string Publisher::explainRefusal(int code) const {
    // MQTT 3.1.1 CONNACK return codes (1-5) and MQTT 5 reason codes (0x80 and above).
    switch (code) {
        case CONNACK_REFUSED_BAD_USERNAME_PASSWORD:
        case CONNACK_REFUSED_NOT_AUTHORIZED:
        case MQTT_RC_BAD_USERNAME_OR_PASSWORD:
        case MQTT_RC_NOT_AUTHORIZED:
            return "not authorised: bad user name or password, or no right to connect";
        case CONNACK_REFUSED_IDENTIFIER_REJECTED:
        case MQTT_RC_CLIENTID_NOT_VALID:
            return "the broker rejected client id '" + _settings.clientId + "'";
        case CONNACK_REFUSED_PROTOCOL_VERSION:
        case MQTT_RC_UNSUPPORTED_PROTOCOL_VERSION:
            return "the broker does not speak this MQTT version";
        case CONNACK_REFUSED_SERVER_UNAVAILABLE:
        case MQTT_RC_SERVER_UNAVAILABLE:
            return "the broker is unavailable";
        default:
            return _settings.mqttVersion == kMqttV5 ? mosquitto_reason_string(code)
                                                    : mosquitto_connack_string(code);
    }
}

bool Publisher::connected() const {
    const std::lock_guard<std::mutex> state(_stateMutex);
    return _connack && *_connack == 0 && !_lost;
}

std::string Publisher::publish(const std::string& topic, const void* payload, std::size_t size, int qos,
                               bool retain, std::uintptr_t context) {
    bool wakeReader = false;
    {
        std::unique_lock<std::mutex> lock(_handleMutex);
        if (!_handle)
            return "not connected";
        int mid = 0;
        _publishing = true;
        const int rc = mosquitto_publish_v5(_handle, &mid, topic.c_str(), static_cast<int>(size), payload,
                                            qos, retain, nullptr);
        _publishing = false;
        if (rc != MOSQ_ERR_SUCCESS) {
            _answeredInPublish.clear();
            lock.unlock();
            // The reader reads what the broker sent before the connection failed, then reports the loss.
            wake();
            return rc == MOSQ_ERR_ERRNO ? std::strerror(errno) : mosquitto_strerror(rc);
        }
        const auto early = std::find_if(_answeredInPublish.begin(), _answeredInPublish.end(),
                                        [mid](const auto& answer) { return answer.first == mid; });
        if (early != _answeredInPublish.end())
            _listener.answered(context, early->second);
        else
            _contexts.emplace(mid, context);
        _answeredInPublish.clear();
        wakeReader = readerMustWatchWrites();
    }
    if (wakeReader)
        wake();
    return {};
}

Publisher::Answer Publisher::publishAndWait(const std::string& topic, const std::string& payload, int qos,
                                            bool retain, std::chrono::milliseconds timeout) {
    int mid = 0;
    bool wakeReader = false;
    {
        std::unique_lock<std::mutex> lock(_handleMutex);
        if (!_handle)
            return {Answer::Kind::Lost};
        _publishing = true;
        const int rc = mosquitto_publish_v5(_handle, &mid, topic.c_str(), static_cast<int>(payload.size()),
                                            payload.data(), qos, retain, nullptr);
        _publishing = false;
        if (rc != MOSQ_ERR_SUCCESS) {
            _answeredInPublish.clear();
            lock.unlock();
            wake();
            return {Answer::Kind::Lost};
        }
        {
            const std::lock_guard<std::mutex> state(_stateMutex);
            std::optional<int>& answer = _awaited[mid];
            for (const auto& [answeredMid, reasonCode] : _answeredInPublish)
                if (answeredMid == mid)
                    answer = reasonCode;
        }
        _answeredInPublish.clear();
        wakeReader = readerMustWatchWrites();
    }
    if (wakeReader)
        wake();
    std::unique_lock<std::mutex> state(_stateMutex);
    if (std::this_thread::get_id() == _reader.get_id()) {
        // A message handler publishing: the answer comes through this very thread, after it returns.
        _awaited.erase(mid);
        return {Answer::Kind::Sent};
    }
    _stateChanged.wait_for(state, timeout, [&] { return _awaited[mid].has_value() || _lost; });
    const std::optional<int> answer = _awaited[mid];
    _awaited.erase(mid);
    if (!answer)
        return {_lost ? Answer::Kind::Lost : Answer::Kind::TimedOut};
    if (*answer >= MQTT_RC_UNSPECIFIED)
        return {Answer::Kind::Refused, *answer};
    return {Answer::Kind::Acknowledged, *answer};
}

bool Publisher::subscribe(const std::string& topic, int qos) {
    bool wakeReader = false;
    {
        const std::lock_guard<std::mutex> lock(_handleMutex);
        if (!_handle ||
            mosquitto_subscribe_v5(_handle, nullptr, topic.c_str(), qos, 0, nullptr) != MOSQ_ERR_SUCCESS)
            return false;
        wakeReader = readerMustWatchWrites();
    }
    if (wakeReader)
        wake();
    return true;
}

void Publisher::disconnect(std::chrono::milliseconds timeout) {
    bool sent = false;
    {
        const std::lock_guard<std::mutex> lock(_handleMutex);
        sent = _handle && mosquitto_disconnect(_handle) == MOSQ_ERR_SUCCESS;
    }
    if (sent) {
        // Written at once unless the socket is full; then the reader writes it, and the connection ends.
        wake();
        std::unique_lock<std::mutex> state(_stateMutex);
        _stateChanged.wait_for(state, timeout, [this] { return _lost; });
    }
    closeHandle();
}

bool Publisher::readerMustWatchWrites() {
    if (!mosquitto_want_write(_handle) || _readerWatchesWrites)
        return false;
    _readerWatchesWrites = true;
    return true;
}

void Publisher::wake() {
    const std::uint64_t one = 1;
    // The eventfd only counts: a failed write means it is already far from zero.
    [[maybe_unused]] const ssize_t written = ::write(_wakeFd, &one, sizeof one);
}

void Publisher::readerLoop() {
    auto nextMisc = Clock::now() + kMiscInterval;
    std::vector<std::pair<std::string, std::string>> received;
    for (;;) {
        int socket = -1;
        bool wantWrite = false;
        bool handshaking = false;
        bool active = false;
        {
            const std::lock_guard<std::mutex> lock(_handleMutex);
            socket = mosquitto_socket(_handle);
            wantWrite = mosquitto_want_write(_handle);
            // The TLS handshake goes first (libmosquitto writes nothing before it ends): the socket is
            // watched for what OpenSSL waits for, not for room for the queued CONNECT, which it always has.
            const SSL* ssl = static_cast<const SSL*>(mosquitto_ssl_get(_handle));
            handshaking = ssl && !SSL_is_init_finished(ssl);
            if (handshaking)
                wantWrite = !SSL_want_read(ssl);
            _readerWatchesWrites = wantWrite;
            const std::lock_guard<std::mutex> state(_stateMutex);
            if (_stopping || _lost)
                return;
            active = _connack.has_value();
        }
        pollfd fds[2] = {{socket, static_cast<short>(POLLIN | (wantWrite ? POLLOUT : 0)), 0},
                         {_wakeFd, POLLIN, 0}};
        const auto untilMisc = std::chrono::duration_cast<std::chrono::milliseconds>(nextMisc - Clock::now());
        const bool pollFailed =
            ::poll(fds, 2, static_cast<int>(std::max<std::int64_t>(untilMisc.count(), 0) + 1)) < 0 &&
            errno != EINTR;
        if (fds[1].revents & POLLIN) {
            std::uint64_t count = 0;
            [[maybe_unused]] const ssize_t read = ::read(_wakeFd, &count, sizeof count);
        }
        {
            std::unique_lock<std::mutex> lock(_handleMutex);
            int rc = pollFailed ? MOSQ_ERR_ERRNO : MOSQ_ERR_SUCCESS;
            // mosquitto_loop_read() also takes the handshake a step further; mosquitto_loop_write() does
            // nothing until it has ended. A broker far away (a TCP connect still under way when the
            // handshake began) makes the socket writable before it has anything to read.
            const short ready = POLLIN | POLLERR | POLLHUP | (handshaking ? POLLOUT : 0);
            if (rc == MOSQ_ERR_SUCCESS && fds[0].revents & ready)
                rc = mosquitto_loop_read(_handle, 1);
            if (rc == MOSQ_ERR_SUCCESS && mosquitto_want_write(_handle))
                rc = mosquitto_loop_write(_handle, 1);
            // Not before the CONNACK: libmosquitto would count a slow broker's silence as a dead
            // connection after one keep-alive interval, while connect() waits for the connect timeout.
            if (rc == MOSQ_ERR_SUCCESS && active && Clock::now() >= nextMisc) {
                rc = mosquitto_loop_misc(_handle);
                nextMisc = Clock::now() + kMiscInterval;
            }
            checkConnection(rc, lock);
            received.swap(_received);
        }
        for (const auto& [topic, payload] : received)
            if (_handler)
                _handler(topic, payload);
        received.clear();
    }
}

void Publisher::checkConnection(int rc, const std::unique_lock<std::mutex>&) {
    if (rc == MOSQ_ERR_SUCCESS && mosquitto_socket(_handle) >= 0)
        return;
    bool report = false;
    {
        const std::lock_guard<std::mutex> state(_stateMutex);
        if (_lost)
            return;
        _lost = true;
        report = _connack && *_connack == 0 && !_lossReported;
        _lossReported = true;
        _stateChanged.notify_all();
    }
    if (report)
        _listener.connectionLost();
}

void Publisher::onConnect(mosquitto*, void* self, int code, int, const mosquitto_property*) {
    auto& publisher = *static_cast<Publisher*>(self);
    const std::lock_guard<std::mutex> state(publisher._stateMutex);
    publisher._connack = code;
    publisher._stateChanged.notify_all();
}

void Publisher::onPublish(mosquitto*, void* self, int mid, int reasonCode, const mosquitto_property*) {
    static_cast<Publisher*>(self)->answered(mid, reasonCode);
}

void Publisher::answered(int mid, int reasonCode) {
    if (const auto found = _contexts.find(mid); found != _contexts.end()) {
        const std::uintptr_t context = found->second;
        _contexts.erase(found);
        _listener.answered(context, reasonCode);
        return;
    }
    {
        const std::lock_guard<std::mutex> state(_stateMutex);
        if (const auto awaited = _awaited.find(mid); awaited != _awaited.end()) {
            awaited->second = reasonCode;
            _stateChanged.notify_all();
            return;
        }
    }
    if (_publishing)
        _answeredInPublish.emplace_back(mid, reasonCode);
}

void Publisher::onMessage(mosquitto*, void* self, const mosquitto_message* message,
                          const mosquitto_property*) {
    auto& publisher = *static_cast<Publisher*>(self);
    publisher._received.emplace_back(message->topic,
                                     std::string(static_cast<const char*>(message->payload),
                                                 static_cast<std::size_t>(message->payloadlen)));
}

}  // namespace citysense::mqtt
