// SenML packs (RFC 8428): several readings in one JSON array.
#pragma once

#include <payload/Payload.h>

namespace citysense {

/// The base name is the longest common prefix of the names ending in '/', the base time the first
/// reading's time (seconds, microsecond precision); each record has n, u, v, t relative to the base
/// time when it differs, and a "quality" extension field when the quality is not ok. No readings
/// make "[]". Times before 1978-07-04 (2^28 s) read back as relative to the receiver's clock, as
/// RFC 8428 §4.5.3 says. Does not throw; a NaN or infinite value is written as null.
std::string encodeSenml(const std::vector<NamedSample>& readings);

/// Reads a pack as decodePayload() describes; a record without bn and n
/// is named `topic`. Throws PayloadError.
std::vector<DecodedReading> decodeSenml(std::string_view topic, std::string_view payload);

}  // namespace citysense
