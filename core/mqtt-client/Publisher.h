// The mqtt sink's connection to its broker: libmosquitto driven by citysense's threads, with no thread of
// libmosquitto's own. The caller's thread publishes directly: libmosquitto writes each packet at once
// while the socket takes it, and keeps what it cannot write queued. One reader thread per connection
// polls the socket and a wake-up eventfd: it reads what the broker sends (acknowledgements, control
// messages), writes what was left queued as soon as the socket takes it, and keeps the connection alive
// (a PINGREQ when it has been quiet for the keep-alive interval). A caller that leaves data queued wakes
// it, so a partial write is finished the moment the socket has room, never after a timeout.
//
// Threads: one mutex guards every call into libmosquitto on the connection (OpenSSL must never see one
// SSL object used by two threads at once); it is never held while waiting. libmosquitto's callbacks run
// under it, inside the reader's read or a caller's publish: they record what happened and hand control
// messages over, which the reader passes to the message handler once the mutex is released.
#pragma once

#include "ConnectionSettings.h"

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

struct mosquitto;
struct mosquitto_message;
typedef struct mqtt5__property mosquitto_property;

namespace citysense::mqtt {

class Publisher {
public:
    /// What becomes of the messages published with a context (publish()).
    class Listener {
    public:
        virtual ~Listener() = default;
        /// The broker answered the message published with `context`: `reasonCode` below 0x80 is
        /// success (at QoS 0: the message was written to the socket), 0x80 and above is an MQTT 5
        /// refusal. Called on the reader's thread, or on the publishing thread inside publish(), with the
        /// publisher's mutex held: record it and return; never call the publisher from here.
        virtual void answered(std::uintptr_t context, int reasonCode) = 0;
        /// The connection is gone; what was not answered by now never will be on it. Called once.
        virtual void connectionLost() = 0;
    };

    /// A message received on a subscription, handed over on the reader's thread without the mutex held
    /// (it may publish).
    using MessageHandler = std::function<void(const std::string& topic, const std::string& payload)>;

    struct Will {
        std::string topic;
        std::string payload;
        int qos = 1;
        bool retain = true;
    };

    /// How a message published with publishAndWait() ended.
    struct Answer {
        enum class Kind {
            Acknowledged,  ///< the broker took it
            Refused,       ///< MQTT 5: the broker answered with reasonCode (0x80 or above)
            TimedOut,      ///< no answer within the timeout
            Lost,          ///< the connection went first
            Sent,          ///< published from the reader's own thread (a message handler): not waited for
        };
        Kind kind;
        int reasonCode = 0;
    };

    /// Nothing is connected until connect(). `handler` receives the messages of subscribe().
    Publisher(ConnectionSettings settings, Listener& listener, MessageHandler handler = {});
    ~Publisher();
    Publisher(const Publisher&) = delete;
    Publisher& operator=(const Publisher&) = delete;

    /// Connects, waiting at most the connect timeout for the broker's CONNACK, with `will` as the last
    /// will when given. With fallback brokers, tries each in turn and stays with the first that accepts.
    /// Throws std::runtime_error: "cannot connect to ssl://127.0.0.1:8883 as gateway_1: not authorised:
    /// bad user name or password, ...", "...: TLS: certificate verify failed: ...", "...: no answer
    /// within 10s"; one such reason per broker when none accepts. Called once.
    void connect(const Will* will = nullptr);

    /// Connected, and the connection not lost since.
    bool connected() const;

    /// Publishes a message; the listener hears of its answer with `context`. Returns why it was not
    /// sent (empty when it was): the connection is gone or the write failed (the reader then reads what
    /// the broker sent before and reports the loss), or libmosquitto refused the message itself.
    std::string publish(const std::string& topic, const void* payload, std::size_t size, int qos, bool retain,
                        std::uintptr_t context);

    /// Publishes a message and waits up to `timeout` for its answer.
    Answer publishAndWait(const std::string& topic, const std::string& payload, int qos, bool retain,
                          std::chrono::milliseconds timeout);

    /// Subscribes to `topic`; the broker's messages go to the handler. False when the connection is gone.
    bool subscribe(const std::string& topic, int qos);

    /// Says goodbye to the broker (a clean DISCONNECT: the will is not sent), waits at most `timeout` for
    /// it to be written, and stops the reader. Never throws.
    void disconnect(std::chrono::milliseconds timeout);

    /// The broker in use (or tried): `uri` or one of the fallbacks.
    const std::string& currentUri() const;
    /// "ssl://127.0.0.1:8883 as gateway_1", for messages.
    std::string describe() const;

    /// An MQTT 5 reason code (or MQTT 3.1.1 CONNACK return code) in words.
    static std::string reasonText(int reasonCode);

private:
    /// One attempt at the current broker; throws std::runtime_error with the reason alone.
    void connectCurrent(const Will* will);
    /// Creates and configures the libmosquitto handle for the current broker.
    void createHandle(const Will* will);
    /// Stops the reader and destroys the handle (after a failed attempt, or at the end).
    void closeHandle();
    /// Why the CONNACK said no, in words.
    std::string explainRefusal(int code) const;

    void readerLoop();
    /// With the mutex held, after a call that may have left data queued: true when the reader must be
    /// woken to watch the socket for room (it does not already).
    bool readerMustWatchWrites();
    /// Wakes the reader from its poll.
    void wake();
    /// After a call into libmosquitto returned `rc` (with the mutex held): notes a lost connection.
    void checkConnection(int rc, const std::unique_lock<std::mutex>& handleLock);

    static void onConnect(mosquitto* handle, void* self, int code, int flags, const mosquitto_property*);
    static void onPublish(mosquitto* handle, void* self, int mid, int reasonCode, const mosquitto_property*);
    static void onMessage(mosquitto* handle, void* self, const mosquitto_message* message,
                          const mosquitto_property*);
    /// A message's answer, with the mutex held (from onPublish, or at once after a publish it completed).
    void answered(int mid, int reasonCode);

    ConnectionSettings _settings;
    Listener& _listener;
    MessageHandler _handler;
    std::size_t _current = 0;  ///< 0: uri, then the fallbacks
    int _wakeFd = -1;          ///< an eventfd the reader polls beside the socket

    /// Guards every call into libmosquitto and what its callbacks touch (the fields down to _received).
    mutable std::mutex _handleMutex;
    mosquitto* _handle = nullptr;
    /// The context of each message published and not yet answered, by message id.
    std::unordered_map<int, std::uintptr_t> _contexts;
    /// Answers that came inside a publish call, before its message id was known (QoS 0 written at once).
    std::vector<std::pair<int, int>> _answeredInPublish;
    bool _publishing = false;                                    ///< inside mosquitto_publish_v5
    bool _readerWatchesWrites = false;                           ///< the reader polls for POLLOUT already
    std::vector<std::pair<std::string, std::string>> _received;  ///< for the handler, after the read

    /// Guards what the connecting and waiting threads wait for; taken after _handleMutex, never before.
    mutable std::mutex _stateMutex;
    std::condition_variable _stateChanged;
    std::optional<int> _connack;  ///< the CONNACK's code, once it came
    bool _lost = false;
    bool _lossReported = false;
    bool _stopping = false;
    std::map<int, std::optional<int>> _awaited;  ///< publishAndWait()'s messages and their answers

    std::thread _reader;
};

}  // namespace citysense::mqtt
