#include "DeadLetterFile.h"

#include "SystemError.h"

#include <citysense/Format.h>
#include <citysense/Time.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cerrno>
#include <stdexcept>
#include <system_error>

namespace citysense {

DeadLetterFile::DeadLetterFile(std::string path, std::uint64_t sizeBound)
    : _path(std::move(path)), _sizeBound(sizeBound) {}

bool DeadLetterFile::append(const SampleBatch& samples, const std::string& sink, const std::string& reason) {
    std::string text = "{\"dead_lettered\":\"" + formatIsoTime(nowMicros()) +
                       "\",\"sink\":" + jsonString(sink) + ",\"reason\":" + jsonString(reason) +
                       ",\"samples\":" + std::to_string(samples.size()) + "}\n";
    for (const Sample& sample : samples)
        text += formatJsonLine(sample) + "\n";
    const int fd = ::open(_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
    struct stat info {};
    if (fd < 0 || ::fstat(fd, &info) != 0) {
        const int error = errno;
        if (fd >= 0)
            ::close(fd);
        throw std::runtime_error("cannot open " + _path + ": " + systemError(error));
    }
    // The operator may have emptied the file meanwhile: its size on the disk is what counts.
    if (static_cast<std::uint64_t>(info.st_size) + text.size() > _sizeBound) {
        ::close(fd);
        return false;
    }
    try {
        writeAll(fd, text.data(), text.size());
    } catch (const std::system_error& error) {
        const bool torn = ::ftruncate(fd, info.st_size) != 0;  // cuts the partial entry off
        ::close(fd);
        throw std::runtime_error("cannot write " + _path + ": " + error.code().message() +
                                 (torn ? " (a partial entry is left at its end)" : ""));
    }
    if (::fdatasync(fd) != 0) {
        const int error = errno;
        ::close(fd);
        throw std::runtime_error("cannot flush " + _path + " to disk: " + systemError(error));
    }
    ::close(fd);
    return true;
}

}  // namespace citysense
