// The spool's record payload decoder, given payloads whose checksum matched (a checksum guards
// against damage, not against a payload that lies about its counts and lengths): samples or a
// SpoolFormatError, and `out` unchanged on error.
#include <engine/SpoolFormat.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    citysense::SampleBatch out;
    try {
        citysense::decodePayload(reinterpret_cast<const char*>(data), size, out);
    } catch (const citysense::SpoolFormatError&) {
        if (!out.empty())
            std::abort();
    }
    return 0;
}
