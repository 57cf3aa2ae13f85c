// The deployed prototype's payload: `"YYYY-MM-DD HH:MM:SS.ffffff\t<value>"`, one reading, UTC.
#pragma once

#include <payload/Payload.h>

namespace citysense {

/// The value in the shortest text that reads back as the same double. Does not throw; a NaN or
/// infinite value is written as it is ("nan"), and decodeTsv() refuses it.
std::string encodeTsv(const Sample& sample);

/// Reads a payload as decodePayload() describes, with 0 to 6 fraction digits and surrounding
/// whitespace; the reading is named `topic`. Throws PayloadError.
DecodedReading decodeTsv(std::string_view topic, std::string_view payload);

}  // namespace citysense
