// A retained document the mqtt sink keeps on one topic of its own (the station's announcement on
// `…/about`): set once and again when it changes, published at once when connected and again at
// every (re)connect, so that a broker that lost its retained messages has it back.
#pragma once

#include <mqtt-client/Publisher.h>

#include <chrono>
#include <string>

namespace citysense::mqtt {

class RetainedDocument {
public:
    /// The topic; empty: none, and nothing is ever published.
    void setTopic(std::string topic) { _topic = std::move(topic); }
    void setPayload(std::string payload) { _payload = std::move(payload); }

    /// A topic and a payload are set.
    bool ready() const { return !_topic.empty() && !_payload.empty(); }

    /// Publishes the payload retained at QoS 1 and waits up to `timeout` for the acknowledgement;
    /// nothing unless ready(). Throws std::runtime_error saying why it was not acknowledged.
    void publish(Publisher& publisher, std::chrono::milliseconds timeout) const;

private:
    std::string _topic;
    std::string _payload;
};

}  // namespace citysense::mqtt
