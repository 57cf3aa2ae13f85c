#include "Deliveries.h"

#include <algorithm>
#include <cstdint>

namespace citysense::mqtt {

namespace {

/// MQTT 5 reason codes that refuse the message itself: its topic (the ACL, or not a valid topic), its
/// size or its payload; sent again, it would be refused again. The status topic published at connect
/// shows that the identity may publish under its own prefix, so an ACL refusal of a reading is a sample
/// claiming a station this gateway does not speak for. Any other refusal (a quota, a busy server) may
/// pass later and is retried.
bool refusesTheMessage(int reasonCode) {
    switch (reasonCode) {
        case ::mqtt::NOT_AUTHORIZED:
        case ::mqtt::TOPIC_NAME_INVALID:
        case ::mqtt::PACKET_TOO_LARGE:
        case ::mqtt::PAYLOAD_FORMAT_INVALID:
            return true;
        default:
            return false;
    }
}

DeliveryFailure failureOf(const ::mqtt::token& token) {
    // This listener is given to publishes only, whose tokens carry their message.
    const auto* delivery = dynamic_cast<const ::mqtt::delivery_token*>(&token);
    const auto message = delivery ? delivery->get_message() : nullptr;
    return {message ? message->get_topic() : std::string("?"),
            ::mqtt::exception(token.get_return_code(), token.get_reason_code())};
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

void Deliveries::on_success(const ::mqtt::token& token) {
    const std::lock_guard<std::mutex> lock(_mutex);
    markAnswered(token, lock);
    answered(lock);
}

void Deliveries::on_failure(const ::mqtt::token& token) {
    DeliveryFailure failure = failureOf(token);
    const std::lock_guard<std::mutex> lock(_mutex);
    // A reason code is the broker's answer; without one, paho gave up on the message (the connection
    // went, or the send failed) and the broker's answer, if any, never reached this listener.
    const bool brokersAnswer = failure.brokersAnswer();
    if (brokersAnswer)
        markAnswered(token, lock);
    if (refusesTheMessage(failure.error.get_reason_code())) {
        if (_refused++ == 0)
            _firstRefusal = std::move(failure);
    } else if (!_firstFailure || (brokersAnswer && !_firstFailure->brokersAnswer())) {
        _firstFailure = std::move(failure);
    }
    answered(lock);
}

void Deliveries::markAnswered(const ::mqtt::token& token, const std::lock_guard<std::mutex>&) {
    const auto index = reinterpret_cast<std::uintptr_t>(token.get_user_context());
    if (index < _answered.size())
        _answered[index] = true;
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
