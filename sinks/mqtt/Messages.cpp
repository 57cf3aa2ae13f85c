#include "Messages.h"

#include <payload/Json.h>
#include <payload/Senml.h>
#include <payload/Tsv.h>

#include <functional>

namespace citysense::mqtt {

MessageBuilder::MessageBuilder(TopicTemplate topic, PayloadFormat format)
    : _template(std::move(topic)), _format(format) {}

std::size_t MessageBuilder::KeyHash::operator()(const Key& key) const {
    return std::hash<const void*>()(key.source) * 31 + static_cast<std::size_t>(key.quantity);
}

const std::string& MessageBuilder::topicOf(const Sample& sample) {
    const Key key{sample.source, sample.quantity};
    auto found = _topics.find(key);
    if (found == _topics.end()) {
        static const Station unknown;
        const Station& station = sample.source ? sample.source->station : unknown;
        found = _topics.emplace(key, _template.render(station, sample.quantity)).first;
    }
    return found->second;
}

void MessageBuilder::build(const SampleBatch& batch, std::vector<OutgoingMessage>& out) {
    if (_format != PayloadFormat::Senml) {
        for (const Sample& sample : batch) {
            const std::string& topic = topicOf(sample);
            out.push_back({&topic, _format == PayloadFormat::Json ? encodeJson(sample) : encodeTsv(sample)});
        }
        return;
    }
    std::vector<NamedSample> pack;
    for (std::size_t i = 0; i < batch.size(); ++i) {
        const Sample& sample = batch[i];
        const std::string& topic = topicOf(sample);
        pack.push_back({topic, sample});
        const bool last = i + 1 == batch.size();
        const bool sameRead = !last && batch[i + 1].source == sample.source &&
                              batch[i + 1].time == sample.time && &topicOf(batch[i + 1]) == &topic;
        if (!sameRead) {
            out.push_back({&topic, encodeSenml(pack)});
            pack.clear();
        }
    }
}

}  // namespace citysense::mqtt
