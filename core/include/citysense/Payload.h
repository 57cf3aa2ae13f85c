// MQTT payload formats: the prototype's `tsv`, a JSON object, and SenML packs (RFC 8428). Encoders
// for the publisher, one parser per format for subscribers, and `auto` to tell them apart.
#pragma once

#include <citysense/Sample.h>

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace citysense {

enum class PayloadFormat { Tsv, Json, Senml, Auto };

/// "tsv", "json", "senml", "auto"; throws std::invalid_argument listing the choices.
PayloadFormat payloadFormatByName(const std::string& name);
const char* payloadFormatName(PayloadFormat format);

/// `"YYYY-MM-DD HH:MM:SS.ffffff\t<value>"`: the deployed prototype's payload (UTC, value in the
/// shortest text that reads back as the same double).
std::string encodeTsv(const Sample& sample);

/// `{"value":28.91,"unit":"Cel","time":"2026-11-24T10:00:00.123456Z","quality":["ok"]}`.
std::string encodeJson(const Sample& sample);

/// One reading of a SenML pack and its full name (bn + n), e.g. the topic it would have had.
struct NamedSample {
    std::string name;
    Sample sample;
};

/// A SenML pack (a JSON array). The base name is the longest common prefix of the names ending in
/// '/', the base time the first reading's time (seconds, microsecond precision); each record has
/// n, u, v, t relative to the base time when it differs, and a "quality" extension field when the
/// quality is not ok.
std::string encodeSenml(const std::vector<NamedSample>& readings);

/// A reading as a payload describes it, before its name is matched to a station and quantity.
struct DecodedReading {
    std::string name;  ///< tsv, json: the topic; senml: bn + n
    double value = 0;
    Micros time = 0;
    std::string unit;  ///< empty when the payload does not say (tsv)
    std::uint16_t quality = QualityOk;
};

/// A payload that cannot be read. The message says what and where ("json: 'value' is not a number",
/// "senml record 2: no value", "tsv: bad timestamp '2026-13-01 ...'").
class PayloadError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Parses `payload` received on `topic`. Auto picks senml for a payload starting with '[', json
/// for '{', tsv otherwise (leading whitespace ignored). Throws PayloadError; never crashes, on any
/// bytes. Values must be finite; times must lie between 1970 and 9999.
std::vector<DecodedReading> decodePayload(std::string_view topic, std::string_view payload, PayloadFormat format);

}  // namespace citysense
