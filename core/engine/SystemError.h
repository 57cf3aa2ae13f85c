// Small helpers around POSIX calls that report errors through errno.
#pragma once

#include <cstddef>
#include <string>

namespace citysense {

/// The text of an errno value.
std::string systemError(int error);

/// Writes all of `data` to `fd`, again after EINTR; throws std::system_error.
void writeAll(int fd, const char* data, std::size_t length);

}  // namespace citysense
