// The host's HTTP endpoint's request head reader: any bytes give a request line or a refusal, never
// a crash, and a request line it accepts has a method and a target without spaces.
#include <engine/HttpRequestHead.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view in(reinterpret_cast<const char*>(data), size);
    if (citysense::requestHeadEnd(in) == std::string_view::npos)
        return 0;
    if (const auto request = citysense::parseRequestLine(in)) {
        if (request->method.find(' ') != std::string::npos || request->target.find(' ') != std::string::npos)
            std::abort();
    }
    return 0;
}
