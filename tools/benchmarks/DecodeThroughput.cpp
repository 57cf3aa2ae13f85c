// Messages per second through the payload decoders (core/payload) against their baseline measured
// in the same run: the decoders before RapidJSON (baseline/extract-legacy-payload). The messages are the
// ingest's: tsv as the gateways send it, json as the mqtt sink writes it, and SenML packs of one
// driver read (seven records). The goal: no format slower than before, ratio >= 1.0.
// Then what the ingest's mqtt::Decoder costs beyond the payload decoder: the topic's station and
// quantity, the station's admission and its Source, over the topics of a city's gateways.
#include "BenchSupport.h"

#include <citysense/TopicTemplate.h>
#include <legacy/citysense/Payload.h>
#include <mqtt-client/Decoder.h>
#include <payload/Json.h>
#include <payload/Senml.h>
#include <payload/Tsv.h>

#include <cstdio>
#include <string>
#include <vector>

namespace {

using namespace citysense;
/// The baseline, called as today's decoder is.
std::vector<legacy::DecodedReading> legacyDecode(std::string_view topic, std::string_view payload,
                                                 PayloadFormat format) {
    return legacy::decodePayload(topic, payload, static_cast<legacy::PayloadFormat>(format));
}

constexpr int kMessages = 1000;  // distinct messages per format, decoded over and over
// Short rounds, the baseline's and the decoders' alternating, compared pair by pair: the ratio is the
// median of the pairs' ratios, so that a spell of load on a shared machine hits both sides alike.
constexpr int kRounds = 41;
constexpr double kRoundSeconds = 0.1;

// 2026-11-24 10:00:00.123456 UTC
constexpr Micros kTime = 1795514400123456;

struct Message {
    std::string topic;
    std::string payload;
};

const Station& station() {
    static const Station street{"hypo_city", "city_01", "street_01"};
    return street;
}

Sample sampleOf(Quantity quantity, int i) {
    Sample sample;
    sample.quantity = quantity;
    sample.value = 10 + (i % 997) * 0.137 - static_cast<int>(quantity);
    sample.time = kTime + Micros{i} * 1000003;
    sample.source = Source::intern(station(), "driver.bench");
    return sample;
}

std::vector<Message> messages(PayloadFormat format) {
    const TopicTemplate tree(TopicTemplate::kDefault);
    const Quantity read[] = {Quantity::Temperature, Quantity::Humidity,      Quantity::Pressure,
                             Quantity::WindSpeed,   Quantity::WindDirection, Quantity::WindGust,
                             Quantity::NO2};
    std::vector<Message> out;
    for (int i = 0; i < kMessages; ++i) {
        const Quantity quantity = read[i % std::size(read)];
        const Sample sample = sampleOf(quantity, i);
        if (format == PayloadFormat::Tsv) {
            out.push_back({tree.render(station(), quantity), encodeTsv(sample)});
        } else if (format == PayloadFormat::Json) {
            out.push_back({tree.render(station(), quantity), encodeJson(sample)});
        } else {
            std::vector<NamedSample> pack;
            for (const Quantity each : read) {
                Sample reading = sampleOf(each, i);
                reading.time = sample.time;
                pack.push_back({tree.render(station(), each), reading});
            }
            out.push_back({tree.render(station(), quantity), encodeSenml(pack)});
        }
    }
    return out;
}

// Messages per second of this process's CPU time, over about kRoundSeconds of it: on a machine that
// runs other work too, the time the process waits for a core is not the decoders'.
template <typename Decode>
double rate(Decode decode, const std::vector<Message>& batch, PayloadFormat format) {
    std::size_t readings = 0;
    std::size_t decoded = 0;
    const double start = bench::ownCpuMicros();
    double elapsed = 0;
    while (elapsed < kRoundSeconds) {
        for (const auto& message : batch)
            readings += decode(message.topic, message.payload, format).size();
        decoded += batch.size();
        elapsed = (bench::ownCpuMicros() - start) / 1e6;
    }
    if (readings == 0)
        std::abort();
    return static_cast<double>(decoded) / elapsed;
}

constexpr int kStations = 5000;

// tsv messages as a city's gateways send them: kStations stations, each reading seven quantities.
std::vector<Message> cityMessages() {
    const TopicTemplate tree(TopicTemplate::kDefault);
    const Quantity read[] = {Quantity::Temperature, Quantity::Humidity,      Quantity::Pressure,
                             Quantity::WindSpeed,   Quantity::WindDirection, Quantity::WindGust,
                             Quantity::NO2};
    std::vector<Message> out;
    for (int i = 0; i < kStations; ++i) {
        const Station street{"hypo_city", "city_" + std::to_string(i / 100), "street_" + std::to_string(i)};
        for (const Quantity quantity : read)
            out.push_back({tree.render(street, quantity), encodeTsv(sampleOf(quantity, i))});
    }
    return out;
}

// Microseconds of CPU an ingest's mqtt::Decoder spends on a message beyond the payload decoder: the
// median over rounds of the two, alternating, on the city's messages.
void decoderCost() {
    const std::vector<Message> city = cityMessages();
    mqtt::Decoder decoder(TopicTemplate(TopicTemplate::kDefault), PayloadFormat::Tsv, Station{},
                          "driver.bench");
    decoder.limitStations(mqtt::StationLimits{});
    const auto viaDecoder = [&](std::string_view topic, std::string_view payload, PayloadFormat) {
        SampleBatch samples;
        decoder.decode(topic, payload, samples);
        return samples;
    };
    std::vector<double> payloadOnly;
    std::vector<double> whole;
    for (int round = 0; round < kRounds; ++round) {
        payloadOnly.push_back(rate(decodePayload, city, PayloadFormat::Tsv));
        whole.push_back(rate(viaDecoder, city, PayloadFormat::Tsv));
    }
    const double payloadRate = bench::median(payloadOnly);
    const double wholeRate = bench::median(whole);
    std::printf("mqtt::Decoder (the ingest's), tsv of %d stations x 7 quantities:\n", kStations);
    std::printf("  payload decoder alone %10.0f messages/s\n", payloadRate);
    std::printf("  mqtt::Decoder         %10.0f messages/s: %.3f us a message beyond the payload's\n\n",
                wholeRate, 1e6 / wholeRate - 1e6 / payloadRate);
}

// Both decoders read every message alike, so the race is a fair one.
bool sameReadings(const std::vector<Message>& batch, PayloadFormat format) {
    for (const auto& message : batch) {
        const auto now = decodePayload(message.topic, message.payload, format);
        const auto before = legacyDecode(message.topic, message.payload, format);
        if (now.size() != before.size())
            return false;
        for (std::size_t i = 0; i < now.size(); ++i) {
            if (now[i].name != before[i].name || now[i].value != before[i].value ||
                now[i].time != before[i].time || now[i].unit != before[i].unit ||
                now[i].quality != before[i].quality)
                return false;
        }
    }
    return true;
}

}  // namespace

int main() {
    bool allMet = true;
    std::printf("payload decode throughput: %d distinct messages per format, medians of %d rounds\n",
                kMessages, kRounds);
    for (const PayloadFormat format : {PayloadFormat::Tsv, PayloadFormat::Json, PayloadFormat::Senml}) {
        const std::vector<Message> batch = messages(format);
        if (!sameReadings(batch, format)) {
            std::printf("  %s: the decoders disagree\n", payloadFormatName(format));
            allMet = false;
            continue;
        }
        std::vector<double> baseline;
        std::vector<double> decoder;
        std::vector<double> ratios;
        for (int round = 0; round < kRounds; ++round) {
            baseline.push_back(rate(legacyDecode, batch, format));
            decoder.push_back(rate(decodePayload, batch, format));
            ratios.push_back(decoder.back() / baseline.back());
        }
        const double ratio = bench::median(ratios);
        std::printf("  %-5s (%4zu bytes)  baseline (hand-written reader): %10.0f messages/s\n",
                    payloadFormatName(format), batch.front().payload.size(), bench::median(baseline));
        std::printf(
            "  %-5s               core/payload (RapidJSON):       %10.0f messages/s  ratio %.3f  %s\n",
            payloadFormatName(format), bench::median(decoder), ratio, ratio >= 1.0 ? "met" : "NOT met");
        allMet = allMet && ratio >= 1.0;
    }
    std::printf("  goal: ratio >= 1.0 for every format: %s\n\n", allMet ? "met" : "NOT met");
    decoderCost();
    return allMet ? 0 : 1;
}
