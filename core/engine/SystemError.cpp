#include "SystemError.h"

#include <unistd.h>
#include <cerrno>
#include <system_error>

namespace citysense {

std::string systemError(int error) {
    return std::generic_category().message(error);
}

namespace {

/// Calls `write(data, length)` (returning what write(2) or pwrite(2) return) until all is written.
template <typename Write>
void writeInFull(const char* data, std::size_t length, Write&& write) {
    while (length > 0) {
        const ssize_t written = write(data, length);
        if (written < 0 && errno == EINTR)
            continue;
        if (written < 0)
            throw std::system_error(errno, std::generic_category());
        data += written;
        length -= static_cast<std::size_t>(written);
    }
}

}  // namespace

void writeAll(int fd, const char* data, std::size_t length) {
    writeInFull(data, length, [fd](const char* at, std::size_t left) { return ::write(fd, at, left); });
}

void writeAllAt(int fd, const char* data, std::size_t length, std::uint64_t offset) {
    const char* const start = data;
    writeInFull(data, length, [&](const char* at, std::size_t left) {
        return ::pwrite(fd, at, left, static_cast<off_t>(offset + static_cast<std::uint64_t>(at - start)));
    });
}

}  // namespace citysense
