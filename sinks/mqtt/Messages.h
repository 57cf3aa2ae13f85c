// Turns a batch of samples into MQTT messages: one per sample (tsv, json), or one SenML pack per
// driver read (consecutive samples of one source, time and topic).
#pragma once

#include <citysense/TopicTemplate.h>
#include <payload/Payload.h>

#include <string>
#include <unordered_map>
#include <vector>

namespace citysense::mqtt {

struct OutgoingMessage {
    const std::string* topic;  ///< owned by the MessageBuilder, stable
    std::string payload;
};

class MessageBuilder {
public:
    MessageBuilder(TopicTemplate topic, PayloadFormat format);

    /// Appends the messages of `batch` to `out`, in sample order.
    void build(const SampleBatch& batch, std::vector<OutgoingMessage>& out);

private:
    const std::string& topicOf(const Sample& sample);

    struct Key {
        const Source* source;
        Quantity quantity;
        bool operator==(const Key& other) const {
            return source == other.source && quantity == other.quantity;
        }
    };
    struct KeyHash {
        std::size_t operator()(const Key& key) const;
    };

    TopicTemplate _template;
    PayloadFormat _format;
    // Sources are interned for the life of the process, so their addresses are stable keys.
    std::unordered_map<Key, std::string, KeyHash> _topics;
};

}  // namespace citysense::mqtt
