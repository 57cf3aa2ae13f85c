// The body of the admin route that changes a gateway's remote configuration (PATCH/POST
// /v1.1/admin/gateways/S/C/ST/config), as citysense-api reads it before anything is signed: it either
// gives the changes or throws ChangesError naming what is wrong (a 400); nothing else may come out.
#include <GatewayConfigJson.h>

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string body(reinterpret_cast<const char*>(data), size);
    try {
        citysense::api::readChanges(body);
    } catch (const citysense::api::ChangesError&) {
    }
    return 0;
}
