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
/// shortest text that reads back as the same double). Encoders do not throw; a NaN or infinite value
/// is written as it is ("nan" here, null in JSON), and every decoder refuses it.
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
/// quality is not ok. No readings make "[]". Times before 1978-07-04 (2^28 s) read back as relative
/// to the receiver's clock, as RFC 8428 §4.5.3 says.
std::string encodeSenml(const std::vector<NamedSample>& readings);

/// A reading as a payload describes it, before its name is matched to a station and quantity.
struct DecodedReading {
    std::string name;  ///< tsv, json: the topic; senml: bn + n, or the topic when both are absent
    double value = 0;
    Micros time = 0;
    std::string unit;  ///< empty when the payload does not say (tsv)
    std::uint16_t quality = QualityOk;
};

/// A payload that cannot be read. The message says what and where, and quotes what was received
/// with quoteText(): `json: 'value' is a string ("12"), not a number`, `senml record 2: no value`,
/// `tsv: bad timestamp "2026-13-01 10:00:00" (expected YYYY-MM-DD HH:MM:SS.ffffff, UTC)`,
/// `json: bad JSON at byte 12: expected ',' or '}', found "]"`.
class PayloadError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Parses `payload` received on `topic`. Auto picks senml for a payload starting with '[', json
/// for '{', tsv otherwise (leading whitespace ignored). Throws PayloadError; never crashes, on any
/// bytes. Values must be finite; times must lie between 1970 and 9999.
///
/// What is read: tsv with 0 to 6 fraction digits and surrounding whitespace; strict JSON (RFC 8259,
/// UTF-8) with values as JSON numbers, never strings or booleans. json needs "value" and "time"
/// (ISO 8601 with 0 to 6 fraction digits and `Z` or an offset such as `+00:00`; "timestamp" is
/// read as "time"), "unit" and "quality" are optional, other members ignored. senml needs a
/// numeric "v" in every record; base fields apply as RFC 8428 says, other fields are ignored
/// unless their name ends in '_'. A known member twice is an error. Limits: 256 KiB, nesting 8
/// deep, 10000 records.
std::vector<DecodedReading> decodePayload(std::string_view topic, std::string_view payload,
                                          PayloadFormat format);

}  // namespace citysense
