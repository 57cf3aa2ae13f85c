#include "Decoder.h"

#include <citysense/Format.h>

namespace citysense::mqtt {
namespace {

bool sameStation(const Station& one, const Station& other) {
    return one.system == other.system && one.city == other.city && one.street == other.street;
}

PayloadError namesAnotherStation(std::string_view name) {
    return PayloadError(quoteText(name) + " names another station than its topic");
}

// The sample of a reading whose name places it as `placed` in the topic tree.
Sample sampleOf(const DecodedReading& reading, Quantity placed, const Source* source) {
    // Wind speed in m/s and in km/h share a place in the default tree; the unit tells them apart.
    Quantity quantity = placed;
    if (quantity == Quantity::WindSpeed && reading.unit == info(Quantity::WindSpeedKmh).unit)
        quantity = Quantity::WindSpeedKmh;
    const QuantityInfo& expected = info(quantity);
    if (!reading.unit.empty() && reading.unit != expected.unit)
        throw PayloadError("unit " + quoteText(reading.unit) + " of " + quoteText(reading.name) + " is not " +
                           expected.name + "'s " + expected.unit);
    Sample sample;
    sample.quantity = quantity;
    sample.value = reading.value;
    sample.time = reading.time;
    sample.quality = reading.quality;
    sample.source = source;
    return sample;
}

}  // namespace

Decoder::Decoder(TopicTemplate topic, PayloadFormat format, Station fallback, std::string instance)
    : _template(std::move(topic)),
      _format(format),
      _fallback(std::move(fallback)),
      _instance(std::move(instance)) {}

void Decoder::limitStations(StationLimits limits) {
    _admission.emplace(limits);
    // Names remembered so far had their stations admitted without these limits.
    _known.clear();
}

bool Decoder::isStatus(std::string_view topic, std::string_view payload) {
    const std::string_view suffix = "/status";
    const bool statusTopic =
        topic.size() > suffix.size() && topic.substr(topic.size() - suffix.size()) == suffix;
    return statusTopic && (payload == "online" || payload == "offline");
}

void Decoder::decode(std::string_view topic, std::string_view payload, SampleBatch& out) {
    if (isStatus(topic, payload))
        return;
    // The station the broker's ACL vouches for: the topic's, known, or matched and filled in.
    const std::optional<Known> topicKnown = find(topic);
    std::optional<TopicTemplate::Match> topicMatch;
    if (!topicKnown) {
        std::string why;
        topicMatch = _template.match(topic, why);
        if (!topicMatch)
            throw PayloadError("topic does not fit topic template " + _template.text() + ": " + why);
        fill(topicMatch->station);
    }
    const Station& publisher = topicKnown ? topicKnown->source->station : topicMatch->station;
    // Appended as they are read; a reading that fails takes the message's others back out.
    const std::size_t before = out.size();
    try {
        for (const DecodedReading& reading : decodePayload(topic, payload, _format)) {
            // tsv and json name each reading by its topic, known or matched already.
            const bool byTopic = reading.name == topic;
            const Known known = byTopic && topicKnown
                                    ? *topicKnown
                                    : resolve(reading.name, byTopic ? topicMatch : std::nullopt, publisher);
            out.push_back(sampleOf(reading, known.quantity, known.source));
        }
    } catch (...) {
        out.resize(before);
        throw;
    }
}

// `match` is the name's, filled in, when the caller has it already.
Decoder::Known Decoder::resolve(std::string_view name, std::optional<TopicTemplate::Match> match,
                                const Station& publisher) {
    // The broker's ACL vouches for the topic only: a SenML name may not speak for another station.
    // Stations compare filled in: the template gives both the same levels, so the fallback fills
    // the same ones alike.
    if (const std::optional<Known> known = find(name)) {
        if (!sameStation(known->source->station, publisher))
            throw namesAnotherStation(name);
        return *known;
    }
    if (!match) {
        std::string why;
        match = _template.match(name, why);
        if (!match)
            throw PayloadError(quoteText(name) + " does not fit topic template " + _template.text() + ": " +
                               why);
        fill(match->station);
    }
    const Station& station = match->station;
    if (!sameStation(station, publisher))
        throw namesAnotherStation(name);
    if (const std::string problem = stationNameProblem(station); !problem.empty())
        throw PayloadError("the " + problem + " (in " + quoteText(name) + ")");
    if (_admission) {
        if (const std::string why = _admission->admit(station, nowMicros()); !why.empty())
            throw StationRefused(quoteText(station.system + "/" + station.city + "/" + station.street) +
                                 " is " + why);
    }
    const Known known{match->quantity, Source::intern(station, _instance)};
    remember(name, known);
    return known;
}

std::optional<Decoder::Known> Decoder::find(std::string_view name) {
    _lookup.assign(name.data(), name.size());
    const auto known = _known.find(_lookup);
    if (known == _known.end())
        return std::nullopt;
    return known->second;
}

void Decoder::remember(std::string_view name, Known known) {
    _lookup.assign(name.data(), name.size());
    if (_known.size() >= kMaxKnownNames) {
        // Full: the name takes the place of the first one in the bucket its hash picks (or the next
        // bucket that has one), which is as good as one at random.
        std::size_t bucket = _known.bucket(_lookup);
        while (_known.bucket_size(bucket) == 0)
            bucket = (bucket + 1) % _known.bucket_count();
        _known.erase(_known.find(_known.begin(bucket)->first));
    }
    _known.emplace(_lookup, known);
}

void Decoder::fill(Station& station) const {
    if (station.system.empty())
        station.system = _fallback.system;
    if (station.city.empty())
        station.city = _fallback.city;
    if (station.street.empty())
        station.street = _fallback.street;
}

}  // namespace citysense::mqtt
