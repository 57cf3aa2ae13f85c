// The payload decoders before RapidJSON, the baseline of citysense-bench-decode (see
// LegacyPayload.cpp). Same types, same messages as citysense::decodePayload().
#pragma once

#include <payload/Payload.h>

namespace citysense::legacy {

std::vector<DecodedReading> decodePayload(std::string_view topic, std::string_view payload,
                                          PayloadFormat format);

}  // namespace citysense::legacy
