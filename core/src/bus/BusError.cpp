#include <citysense/bus/BusError.h>

#include <cstring>

namespace citysense {

BusError systemBusError(const std::string& device, const std::string& what, int errnoValue) {
    return BusError(device + ": " + what + ": " + std::strerror(errnoValue));
}

}  // namespace citysense
