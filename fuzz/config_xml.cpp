// The XML configuration reader: any bytes give entries or a ConfigFileError, nothing else.
#include <engine/Config.h>
#include <engine/ConfigEntries.h>

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    try {
        citysense::readXmlEntries("fuzz.xml", std::string(reinterpret_cast<const char*>(data), size));
    } catch (const citysense::ConfigFileError&) {
    }
    return 0;
}
