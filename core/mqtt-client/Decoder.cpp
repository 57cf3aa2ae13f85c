#include "Decoder.h"

#include <citysense/Format.h>

namespace citysense::mqtt {

Decoder::Decoder(TopicTemplate topic, PayloadFormat format, Station fallback, std::string instance)
    : _template(std::move(topic)),
      _format(format),
      _fallback(std::move(fallback)),
      _instance(std::move(instance)) {}

bool Decoder::isStatus(std::string_view topic, std::string_view payload) {
    const std::string_view suffix = "/status";
    const bool statusTopic =
        topic.size() > suffix.size() && topic.substr(topic.size() - suffix.size()) == suffix;
    return statusTopic && (payload == "online" || payload == "offline");
}

void Decoder::decode(std::string_view topic, std::string_view payload, SampleBatch& out) {
    if (isStatus(topic, payload))
        return;
    std::string why;
    const std::optional<TopicTemplate::Match> topicMatch = _template.match(topic, why);
    if (!topicMatch)
        throw PayloadError("topic does not fit topic template " + _template.text() + ": " + why);
    SampleBatch samples;
    for (const DecodedReading& reading : decodePayload(topic, payload, _format)) {
        // tsv and json name each reading by its topic, matched already.
        std::optional<TopicTemplate::Match> match =
            reading.name == topic ? topicMatch : _template.match(reading.name, why);
        if (!match)
            throw PayloadError(quoteText(reading.name) + " does not fit topic template " + _template.text() +
                               ": " + why);
        // The broker's ACL vouches for the topic only: a SenML name may not speak for another station.
        Station& station = match->station;
        const Station& publisher = topicMatch->station;
        if (station.system != publisher.system || station.city != publisher.city ||
            station.street != publisher.street)
            throw PayloadError(quoteText(reading.name) + " names another station than its topic");
        if (station.system.empty())
            station.system = _fallback.system;
        if (station.city.empty())
            station.city = _fallback.city;
        if (station.street.empty())
            station.street = _fallback.street;
        if (const std::string problem = stationNameProblem(station); !problem.empty())
            throw PayloadError("the " + problem + " (in " + quoteText(reading.name) + ")");
        if (_admission) {
            if (const std::string why = _admission->admit(station, nowMicros()); !why.empty())
                throw StationRefused(quoteText(station.system + "/" + station.city + "/" + station.street) +
                                     " is " + why);
        }
        // Wind speed in m/s and in km/h share a place in the default tree; the unit tells them apart.
        if (match->quantity == Quantity::WindSpeed && reading.unit == info(Quantity::WindSpeedKmh).unit)
            match->quantity = Quantity::WindSpeedKmh;
        const QuantityInfo& quantity = info(match->quantity);
        if (!reading.unit.empty() && reading.unit != quantity.unit)
            throw PayloadError("unit " + quoteText(reading.unit) + " of " + quoteText(reading.name) +
                               " is not " + quantity.name + "'s " + quantity.unit);
        Sample sample;
        sample.quantity = match->quantity;
        sample.value = reading.value;
        sample.time = reading.time;
        sample.quality = reading.quality;
        sample.source = Source::intern(station, _instance);
        samples.push_back(sample);
    }
    out.insert(out.end(), samples.begin(), samples.end());
}

}  // namespace citysense::mqtt
