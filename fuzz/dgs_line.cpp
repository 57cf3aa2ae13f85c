// The SPEC DGS line parser: any line gives a reading or a reason, never a crash.
#include <DgsLine.h>

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    citysense::spec_dgs::parseDgsLine(std::string_view(reinterpret_cast<const char*>(data), size));
    return 0;
}
