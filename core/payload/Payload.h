// MQTT payload formats: the prototype's `tsv`, a JSON object, and SenML packs (RFC 8428). One file
// per format encodes and decodes it (Tsv.h, Json.h, Senml.h); decodePayload() reads any of them.
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

/// One reading of a SenML pack and its full name (bn + n), e.g. the topic it would have had.
struct NamedSample {
    std::string name;
    Sample sample;
};

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
/// unless their name ends in '_'. A known member twice is an error, and so is a number beyond the
/// range of a double anywhere. Limits: 256 KiB, nesting 8 deep, 10000 records.
std::vector<DecodedReading> decodePayload(std::string_view topic, std::string_view payload,
                                          PayloadFormat format);

}  // namespace citysense
