#include "RemoteFragment.h"

#include "SystemError.h"

#include <fcntl.h>
#include <unistd.h>
#include <cerrno>
#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace citysense {

namespace {

const char* const kVersionLine = "; remote_version = ";
const char* const kRequestLine = "; remote_request = ";

/// Writes all of `text` to `descriptor` and syncs it; false on failure.
bool writeAndSync(int descriptor, const std::string& text) {
    std::size_t written = 0;
    while (written < text.size()) {
        const ssize_t count = ::write(descriptor, text.data() + written, text.size() - written);
        if (count < 0 && errno == EINTR)
            continue;
        if (count <= 0)
            return false;
        written += static_cast<std::size_t>(count);
    }
    return ::fsync(descriptor) == 0;
}

}  // namespace

std::string remoteFragmentPath(const std::string& configPath) {
    return (std::filesystem::path(configPath).parent_path() / "conf.d" / "99-remote.ini").string();
}

std::string renderRemoteFragment(const DesiredDocument& document) {
    std::string text =
        "; The operator's remote configuration, written by citysensed from a signed document "
        "(citysense-ctl\n; config set): replaced whole by the next version, so do not edit it. Delete "
        "it and reload\n; (SIGHUP) to return to the values of the other files.\n";
    text += kVersionLine + std::to_string(document.version) + "\n";
    text += kRequestLine + document.request + "\n";
    text += "; remote_expires = " + formatIsoTime(document.expires) + "\n";
    for (const auto& [section, keys] : document.changes) {
        text += "\n[" + section + "]\n";
        for (const auto& [key, value] : keys)
            text += key + " = " + value + "\n";
    }
    return text;
}

RemoteFragmentOrigin readRemoteFragmentOrigin(const std::string& path) {
    RemoteFragmentOrigin origin;
    std::ifstream file(path);
    for (std::string line; std::getline(file, line);) {
        if (line.rfind(kVersionLine, 0) == 0) {
            try {
                origin.version = std::stoll(line.substr(std::string(kVersionLine).size()));
            } catch (const std::exception&) {
                return {};
            }
        } else if (line.rfind(kRequestLine, 0) == 0) {
            origin.request = line.substr(std::string(kRequestLine).size());
        }
    }
    return origin;
}

void writeFileAtomically(const std::string& path, const std::string& text) {
    const std::filesystem::path target(path);
    std::error_code error;
    std::filesystem::create_directories(target.parent_path(), error);
    const std::string temporary = path + ".new";
    const int descriptor = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (descriptor < 0)
        throw std::runtime_error(temporary + ": cannot be created: " + systemError(errno));
    const bool written = writeAndSync(descriptor, text);
    const int savedErrno = errno;
    ::close(descriptor);
    if (!written || ::rename(temporary.c_str(), path.c_str()) != 0) {
        const int why = written ? errno : savedErrno;
        ::unlink(temporary.c_str());
        throw std::runtime_error(path + ": cannot be written: " + systemError(why));
    }
    const int directory = ::open(target.parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (directory >= 0) {
        ::fsync(directory);
        ::close(directory);
    }
}

}  // namespace citysense
