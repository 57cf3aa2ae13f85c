#include "ControlTopics.h"

#include <Poco/Logger.h>

#include <chrono>
#include <vector>

namespace citysense::mqtt {

namespace {

/// How long the host's thread waits for the broker to acknowledge a control message.
constexpr std::chrono::seconds kAckWait{5};

}  // namespace

void ControlTopics::subscribe(const std::string& topic, Receiver receiver) {
    {
        std::lock_guard<std::mutex> lock(_receiversMutex);
        _receivers[topic] = std::move(receiver);
    }
    std::lock_guard<std::mutex> lock(_clientMutex);
    if (_publisher)
        subscribeNow(topic);
}

void ControlTopics::unsubscribeAll() {
    std::lock_guard<std::mutex> lock(_receiversMutex);
    _receivers.clear();
}

void ControlTopics::publishRetained(const std::string& topic, const std::string& payload) {
    std::lock_guard<std::mutex> lock(_clientMutex);
    if (_publisher && publishNow(topic, payload)) {
        _waiting.erase(topic);
        return;
    }
    _waiting[topic] = payload;
}

void ControlTopics::received(const std::string& topic, const std::string& payload) {
    Receiver receiver;
    {
        std::lock_guard<std::mutex> lock(_receiversMutex);
        const auto found = _receivers.find(topic);
        if (found == _receivers.end())
            return;
        receiver = found->second;
    }
    receiver(topic, payload);
}

void ControlTopics::connected(Publisher& publisher) {
    std::vector<std::string> topics;
    {
        std::lock_guard<std::mutex> lock(_receiversMutex);
        for (const auto& [topic, receiver] : _receivers)
            topics.push_back(topic);
    }
    std::lock_guard<std::mutex> lock(_clientMutex);
    _publisher = &publisher;
    for (const auto& topic : topics)
        subscribeNow(topic);
    for (auto waiting = _waiting.begin(); waiting != _waiting.end();)
        waiting = publishNow(waiting->first, waiting->second) ? _waiting.erase(waiting) : std::next(waiting);
}

void ControlTopics::disconnected() {
    std::lock_guard<std::mutex> lock(_clientMutex);
    _publisher = nullptr;
}

void ControlTopics::subscribeNow(const std::string& topic) {
    if (!_publisher->subscribe(topic, 1))
        _sink.logger().warning("cannot subscribe to " + topic + ": connection to " + _publisher->describe() +
                               " lost");
}

bool ControlTopics::publishNow(const std::string& topic, const std::string& payload) {
    const Publisher::Answer answer = _publisher->publishAndWait(topic, payload, 1, true, kAckWait);
    switch (answer.kind) {
        case Publisher::Answer::Kind::Acknowledged:
        case Publisher::Answer::Kind::Sent:
            return true;
        case Publisher::Answer::Kind::TimedOut:
            _sink.logger().warning("no acknowledgement for " + topic +
                                   " within 5s; sent again at the next connection");
            break;
        case Publisher::Answer::Kind::Refused:
            _sink.logger().warning("cannot publish " + topic + ": refused (" +
                                   Publisher::reasonText(answer.reasonCode) + ")");
            break;
        case Publisher::Answer::Kind::Lost:
            _sink.logger().warning("cannot publish " + topic + ": connection to " + _publisher->describe() +
                                   " lost");
            break;
    }
    return false;
}

}  // namespace citysense::mqtt
