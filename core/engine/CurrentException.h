// Plugins may throw anything, not only std::exception: every place the host calls plugin code
// catches (...) and describes the exception with this.
#pragma once

#include <string>

namespace citysense {

/// The message of the exception being handled; call only inside a catch block.
std::string currentExceptionText();

}  // namespace citysense
