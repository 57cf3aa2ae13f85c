// Quality flags by name, as json and senml payloads carry them: ["out_of_range","simulated"].
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace citysense::payload {

/// The flag qualityNames() calls `name`; "ok" is 0.
std::optional<std::uint16_t> qualityFlag(std::string_view name);

/// "ok, out_of_range, ...", for an error message.
std::string knownQualities();

/// The JSON array of the flags' names: ["ok"], ["out_of_range","simulated"].
std::string qualityArray(std::uint16_t quality);

}  // namespace citysense::payload
