// citysense-api's keys file, which an operator may edit by hand (or a disk may damage): read as the
// service reads it on every change. It either gives keys or throws std::invalid_argument or
// Poco::Exception, which the service reports naming the file; nothing else may come out.
#include <KeyFile.h>

#include <Poco/Exception.h>

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    try {
        citysense::api::keysOfText(text);
    } catch (const std::invalid_argument&) {
    } catch (const Poco::Exception&) {
    }
    return 0;
}
