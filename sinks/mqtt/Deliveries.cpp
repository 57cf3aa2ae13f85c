#include "Deliveries.h"

#include <mqtt_protocol.h>

#include <algorithm>

namespace citysense::mqtt {

namespace {

/// MQTT 5 reason codes that refuse the message itself: its topic (the ACL, or not a valid topic), its
/// size or its payload; sent again, it would be refused again. The status topic published at connect
/// shows that the identity may publish under its own prefix, so an ACL refusal of a reading is a sample
/// claiming a station this gateway does not speak for. Any other refusal (a quota, a busy server) may
/// pass later and is retried.
bool refusesTheMessage(int reasonCode) {
    switch (reasonCode) {
        case MQTT_RC_NOT_AUTHORIZED:
        case MQTT_RC_TOPIC_NAME_INVALID:
        case MQTT_RC_PACKET_TOO_LARGE:
        case MQTT_RC_PAYLOAD_FORMAT_INVALID:
            return true;
        default:
            return false;
    }
}

}  // namespace

void Deliveries::startWrite(std::size_t messages) {
    const std::lock_guard<std::mutex> lock(_mutex);
    _outstanding = 0;
    _answered.assign(messages, false);
    _refused = 0;
    _firstRefusal.reset();
    _firstFailure.reset();
}

Deliveries::Wait Deliveries::reserve(std::size_t window, std::chrono::milliseconds timeout) {
    std::unique_lock<std::mutex> lock(_mutex);
    if (_outstanding >= window) {
        if (const Wait wait = waitUntilAtMost(lock, window / 2, timeout); wait != Wait::Done)
            return wait;
    }
    ++_outstanding;
    return Wait::Done;
}

void Deliveries::unreserve() {
    const std::lock_guard<std::mutex> lock(_mutex);
    --_outstanding;
}

Deliveries::Wait Deliveries::awaitAll(std::chrono::milliseconds timeout) {
    std::unique_lock<std::mutex> lock(_mutex);
    return waitUntilAtMost(lock, 0, timeout);
}

void Deliveries::connectionLost() {
    const std::lock_guard<std::mutex> lock(_mutex);
    _lost = true;
    _changed.notify_one();
}

std::size_t Deliveries::refusedCount() const {
    const std::lock_guard<std::mutex> lock(_mutex);
    return _refused;
}

std::optional<DeliveryFailure> Deliveries::firstRefusal() const {
    const std::lock_guard<std::mutex> lock(_mutex);
    return _firstRefusal;
}

std::optional<DeliveryFailure> Deliveries::firstFailure() const {
    const std::lock_guard<std::mutex> lock(_mutex);
    return _firstFailure;
}

std::vector<std::size_t> Deliveries::unanswered() const {
    const std::lock_guard<std::mutex> lock(_mutex);
    std::vector<std::size_t> indices;
    for (std::size_t index = 0; index < _answered.size(); ++index)
        if (!_answered[index])
            indices.push_back(index);
    return indices;
}

void Deliveries::answered(std::uintptr_t context, int reasonCode) {
    const std::lock_guard<std::mutex> lock(_mutex);
    if (context < _answered.size())
        _answered[context] = true;
    if (reasonCode >= MQTT_RC_UNSPECIFIED) {
        const DeliveryFailure failure{context, reasonCode};
        if (refusesTheMessage(reasonCode)) {
            if (_refused++ == 0)
                _firstRefusal = failure;
        } else if (!_firstFailure) {
            _firstFailure = failure;
        }
    }
    answered(lock);
}

void Deliveries::answered(const std::lock_guard<std::mutex>&) {
    --_outstanding;
    _lastAnswer = std::chrono::steady_clock::now();
    if (_wakeAt && _outstanding <= *_wakeAt)
        _changed.notify_one();
}

Deliveries::Wait Deliveries::waitUntilAtMost(std::unique_lock<std::mutex>& lock, std::size_t most,
                                             std::chrono::milliseconds timeout) {
    _wakeAt = most;
    const auto started = std::chrono::steady_clock::now();
    auto deadline = started + timeout;
    while (_outstanding > most && !_lost && std::chrono::steady_clock::now() < deadline) {
        _changed.wait_until(lock, deadline);
        // The timeout runs from the last answer: a broker that keeps answering is not given up on.
        deadline = std::max(started, _lastAnswer) + timeout;
    }
    _wakeAt.reset();
    if (_outstanding <= most)
        return Wait::Done;
    return _lost ? Wait::Lost : Wait::TimedOut;
}

}  // namespace citysense::mqtt
