// One reading as a JSON object:
// `{"value":28.91,"unit":"Cel","time":"2026-11-24T10:00:00.123456Z","quality":["ok"]}`.
#pragma once

#include <payload/Payload.h>

namespace citysense {

/// Does not throw; a NaN or infinite value is written as null, which decodeJson() refuses.
std::string encodeJson(const Sample& sample);

/// Reads a payload as decodePayload() describes; the reading is named
/// `topic`. Throws PayloadError.
DecodedReading decodeJson(std::string_view topic, std::string_view payload);

}  // namespace citysense
