// Small helpers around POSIX calls that report errors through errno.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace citysense {

/// The text of an errno value.
std::string systemError(int error);

/// Writes all of `data` to `fd`, again after EINTR; throws std::system_error.
void writeAll(int fd, const char* data, std::size_t length);

/// Writes all of `data` to `fd` at `offset` (pwrite), again after EINTR; throws std::system_error.
void writeAllAt(int fd, const char* data, std::size_t length, std::uint64_t offset);

}  // namespace citysense
