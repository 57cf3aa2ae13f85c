// The WindSonic's NMEA 0183 MWV sentence parser: any line gives a frame or a reason, never a crash.
#include <NmeaMwv.h>

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    citysense::windsonic::parseMwvSentence(std::string_view(reinterpret_cast<const char*>(data), size));
    return 0;
}
