// The outcomes of what the mqtt sink publishes on one connection, recorded the moment the broker answers
// each message (this is the publisher's listener, called on its reader thread with each message's index
// in the write as its context), so that the sink's thread sleeps only when it must: when its window of
// unanswered messages is full, until half of it is free, and once at the end of a write. A refusal is on
// record whenever it arrived, whatever failed after it: Mosquitto closes the connection right after it
// refuses a message.
//
// Lifetime: one per connection, created before its publisher and destroyed after it. A write that gives
// up (connection lost, no acknowledgement in time, a refusal) drops the connection, so no answer to one
// write is ever counted in the next.
#pragma once

#include <mqtt-client/Publisher.h>

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace citysense::mqtt {

/// A message the broker answered with a failure (MQTT 5): its index in the write and the reason code.
struct DeliveryFailure {
    std::size_t index;
    int reasonCode;
};

class Deliveries : public Publisher::Listener {
public:
    enum class Wait {
        Done,      ///< as many answered as asked
        Lost,      ///< the connection is gone
        TimedOut,  ///< no answer at all for the timeout
    };

    /// Starts a write of `messages` messages, each published with its index as the context: nothing
    /// outstanding, answered, failed or refused.
    void startWrite(std::size_t messages);

    /// Makes room for one more message and counts it, to be published at once with this listener:
    /// returns at once while fewer than `window` are unanswered; with the window full, waits until half
    /// of it is free (one wake-up for many acknowledgements), the connection is lost, or nothing has
    /// been answered for `timeout`. Counts the message only when it returns Done.
    Wait reserve(std::size_t window, std::chrono::milliseconds timeout);
    /// Uncounts the message reserve() counted, which the publisher could not send.
    void unreserve();
    /// Waits until every message of the write is answered, the connection is lost, or nothing has
    /// been answered for `timeout`.
    Wait awaitAll(std::chrono::milliseconds timeout);

    /// The broker answered the message of index `context` (Publisher::Listener).
    void answered(std::uintptr_t context, int reasonCode) override;
    /// The connection is gone: waits end at once (Publisher::Listener).
    void connectionLost() override;

    /// This write's messages that the broker refused for themselves (MQTT 5: the ACL, the topic, the
    /// size or the payload), which would be refused again if sent again.
    std::size_t refusedCount() const;
    std::optional<DeliveryFailure> firstRefusal() const;
    /// The first of this write's other failures (refused for a reason that may pass).
    std::optional<DeliveryFailure> firstFailure() const;
    /// The indices of this write's messages that the broker has not answered (acknowledged or refused),
    /// in order: those in flight when the connection went, and those never published.
    std::vector<std::size_t> unanswered() const;

private:
    /// One message completed: counts it, and wakes the sink's thread when it waits for this many.
    void answered(const std::lock_guard<std::mutex>& lock);
    /// Waits, holding `lock`, until at most `most` are unanswered (see reserve() and awaitAll()).
    Wait waitUntilAtMost(std::unique_lock<std::mutex>& lock, std::size_t most,
                         std::chrono::milliseconds timeout);

    mutable std::mutex _mutex;
    std::condition_variable _changed;
    std::size_t _outstanding = 0;
    std::optional<std::size_t> _wakeAt;  ///< the waiting thread's threshold, while it waits
    std::chrono::steady_clock::time_point _lastAnswer;
    bool _lost = false;
    std::vector<bool> _answered;  ///< by message index, of this write
    std::size_t _refused = 0;
    std::optional<DeliveryFailure> _firstRefusal;
    std::optional<DeliveryFailure> _firstFailure;
};

}  // namespace citysense::mqtt
