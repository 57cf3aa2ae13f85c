// The live stream's fan-out: numbers each reading (LiveEvent ids, increasing; a run starts at its start
// time in µs, so ids of a later run are greater), keeps the latest in a window (at most `windowEvents`,
// none older than `windowAge`) for clients that resume with Last-Event-ID, and collects the readings
// published since the writer (LiveWriter) last came for them, with the streams open then. publish()
// costs the same for one stream or thousands: it never touches a stream, and wakes the writer only
// for the first reading it has not collected yet. It counts the streams open (in all and per key,
// against their limits), the events written, the clients cut off as slow and the connections the writer
// could not take over.
#pragma once

#include "LiveStream.h"

#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace citysense::api {

class LiveHub {
public:
    LiveHub(std::size_t windowEvents, Micros windowAge, std::size_t queueEvents);

    /// Numbers `observation`, keeps it and holds it for the writer. `steady`: now.
    void publish(std::shared_ptr<const LiveObservation> observation, Micros steady);

    enum class Refusal { None, KeyLimit, TotalLimit, Ended };

    struct Opening {
        Refusal refusal = Refusal::None;
        std::shared_ptr<LiveStream> stream;  ///< with Refusal::None
        /// The data of a gap event, when the client resumes after an event the window no longer has.
        std::optional<std::string> gap;
        std::vector<LiveEvent> backlog;  ///< the kept events after `after` the stream wants
    };

    /// Opens a stream for `key`, unless the key has `keyLimit` open or all keys `totalLimit`. With
    /// `after` (Last-Event-ID), the kept events after it come first; the stream gets every event
    /// published from then on, with none missed in between.
    Opening open(LiveFilter filter, const std::string& key, int keyLimit, int totalLimit,
                 std::optional<std::uint64_t> after, Micros steady);
    /// Closes a stream open() opened.
    void close(const std::shared_ptr<LiveStream>& stream);

    /// What the writer collects: the events published since it last came, and the streams open.
    struct Collected {
        std::vector<LiveEvent> events;
        std::vector<std::shared_ptr<LiveStream>> streams;
        bool ended = false;  ///< endAll() was called
    };
    Collected collect();
    /// Called (on the publishing thread) when an event or endAll() waits to be collected, once until
    /// collect(). Set before anything is published.
    void wakeWith(std::function<void()> wake);

    /// The events a stream may let wait before it is cut off as slow.
    std::size_t queueEvents() const { return _queueEvents; }

    /// Counts `count` events written to a client.
    void countSent(std::uint64_t count) { _sent += count; }
    /// Counts a client cut off for letting its queue overflow.
    void countSlow() { ++_slow; }
    /// Counts a stream whose connection the writer could not take over (it was closed at once).
    void countNotTakenOver() { ++_notTakenOver; }
    /// Ends every stream, and refuses new ones: the service is stopping.
    void endAll();

    /// The Prometheus text of the streams open, events published and sent, slow clients cut off,
    /// connections not taken over.
    std::string prometheusText() const;

private:
    void forgetOld(Micros steady);

    const std::size_t _windowEvents;
    const Micros _windowAge;
    const std::size_t _queueEvents;
    mutable std::mutex _mutex;  ///< for everything below but the atomics
    std::uint64_t _lastId;
    std::deque<LiveEvent> _window;
    std::vector<LiveEvent> _fresh;  ///< published, not collected yet
    std::vector<std::shared_ptr<LiveStream>> _streams;
    std::function<void()> _wake;
    std::map<std::string, int> _streamsOfKey;
    bool _ended = false;
    std::atomic<std::uint64_t> _published{0};
    std::atomic<std::uint64_t> _sent{0};
    std::atomic<std::uint64_t> _slow{0};
    std::atomic<std::uint64_t> _notTakenOver{0};
    std::atomic<std::uint64_t> _refusedKeyLimit{0};
    std::atomic<std::uint64_t> _refusedTotalLimit{0};
};

}  // namespace citysense::api
