// One MQTT payload decoder (CITYSENSE_FUZZ_FORMAT: Tsv, Json or Senml), given any bytes as a message
// on a gateway's topic: readings or a PayloadError, and every reading it returns is finite.
#include <payload/Payload.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    try {
        const auto readings =
            citysense::decodePayload("hypo_city/city_01/street_01/temperature/celcius",
                                     std::string_view(reinterpret_cast<const char*>(data), size),
                                     citysense::PayloadFormat::CITYSENSE_FUZZ_FORMAT);
        for (const auto& reading : readings) {
            if (!std::isfinite(reading.value))
                std::abort();
        }
    } catch (const citysense::PayloadError&) {
    }
    return 0;
}
