// The error every bus reports: what failed, on which device, and why (the errno text).
#pragma once

#include <stdexcept>
#include <string>

namespace citysense {

class BusError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// A BusError "<device>: <what>: <strerror(errnoValue)>".
BusError systemBusError(const std::string& device, const std::string& what, int errnoValue);

}  // namespace citysense
