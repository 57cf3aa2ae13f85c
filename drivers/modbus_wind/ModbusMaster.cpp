#include "ModbusMaster.h"

#include <cstdio>

namespace citysense::modbus_wind {

namespace {

std::string hex(int address) {
    char text[8];
    std::snprintf(text, sizeof text, "0x%04X", static_cast<unsigned>(address));
    return text;
}

}  // namespace

std::string describeRead(RegisterKind kind, int address, int count) {
    const std::string what = kind == RegisterKind::Input ? "read input register" : "read holding register";
    if (count == 1)
        return what + " " + hex(address);
    return what + "s " + hex(address) + "-" + hex(address + count - 1);
}

}  // namespace citysense::modbus_wind
