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
    if (_client)
        subscribeNow(topic);
}

void ControlTopics::unsubscribeAll() {
    std::lock_guard<std::mutex> lock(_receiversMutex);
    _receivers.clear();
}

void ControlTopics::publishRetained(const std::string& topic, const std::string& payload) {
    std::lock_guard<std::mutex> lock(_clientMutex);
    if (_client && publishNow(topic, payload)) {
        _waiting.erase(topic);
        return;
    }
    _waiting[topic] = payload;
}

void ControlTopics::connected(Client& client) {
    client.paho().set_message_callback([this](::mqtt::const_message_ptr message) {
        Receiver receiver;
        {
            std::lock_guard<std::mutex> lock(_receiversMutex);
            const auto found = _receivers.find(message->get_topic());
            if (found == _receivers.end())
                return;
            receiver = found->second;
        }
        receiver(message->get_topic(), message->get_payload_str());
    });
    std::vector<std::string> topics;
    {
        std::lock_guard<std::mutex> lock(_receiversMutex);
        for (const auto& [topic, receiver] : _receivers)
            topics.push_back(topic);
    }
    std::lock_guard<std::mutex> lock(_clientMutex);
    _client = &client;
    for (const auto& topic : topics)
        subscribeNow(topic);
    for (auto waiting = _waiting.begin(); waiting != _waiting.end();)
        waiting = publishNow(waiting->first, waiting->second) ? _waiting.erase(waiting) : std::next(waiting);
}

void ControlTopics::disconnected() {
    std::lock_guard<std::mutex> lock(_clientMutex);
    _client = nullptr;
}

void ControlTopics::subscribeNow(const std::string& topic) {
    try {
        _client->paho().subscribe(topic, 1);
    } catch (const ::mqtt::exception& error) {
        _sink.logger().warning("cannot subscribe to " + topic + ": " + _client->explain(error));
    }
}

bool ControlTopics::publishNow(const std::string& topic, const std::string& payload) {
    try {
        if (_client->paho().publish(topic, payload.data(), payload.size(), 1, true)->wait_for(kAckWait))
            return true;
        _sink.logger().warning("no acknowledgement for " + topic +
                               " within 5s; sent again at the next connection");
    } catch (const ::mqtt::exception& error) {
        _sink.logger().warning("cannot publish " + topic + ": " + _client->explain(error));
    }
    return false;
}

}  // namespace citysense::mqtt
