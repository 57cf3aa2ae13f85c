#include "SpoolIndex.h"

#include "SystemError.h"

#include <fcntl.h>
#include <unistd.h>
#include <cerrno>
#include <charconv>
#include <fstream>
#include <stdexcept>
#include <system_error>

namespace citysense {

namespace {

const std::string kFirstLine = "citysense spool index 1";

bool parseNumber(const std::string& text, std::uint64_t& value) {
    const char* end = text.data() + text.size();
    const auto [stop, error] = std::from_chars(text.data(), end, value);
    return !text.empty() && error == std::errc() && stop == end;
}

}  // namespace

std::string readSpoolIndex(const std::string& directory, SpoolIndex& index) {
    index.clear();
    const std::string path = directory + "/index";
    std::ifstream in(path);
    if (!in)
        return "";
    std::string line;
    if (!std::getline(in, line) || line != kFirstLine)
        return path + " line 1: expected '" + kFirstLine + "'";
    for (int number = 2; std::getline(in, line); ++number) {
        const auto space = line.find(' ');
        std::uint64_t segment = 0;
        std::uint64_t samples = 0;
        if (space == std::string::npos || !parseNumber(line.substr(0, space), segment) ||
            !parseNumber(line.substr(space + 1), samples) || !index.emplace(segment, samples).second) {
            index.clear();
            return path + " line " + std::to_string(number) + ": expected '<segment number> <sample count>'";
        }
    }
    return "";
}

void writeSpoolIndex(const std::string& directory, const SpoolIndex& index) {
    const std::string path = directory + "/index";
    const std::string temporary = path + ".new";
    std::string text = kFirstLine + "\n";
    for (const auto& [segment, samples] : index)
        text += std::to_string(segment) + " " + std::to_string(samples) + "\n";
    const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
    if (fd < 0)
        throw std::runtime_error("cannot create " + temporary + ": " + systemError(errno));
    try {
        writeAll(fd, text.data(), text.size());
    } catch (const std::system_error& error) {
        ::close(fd);
        throw std::runtime_error("cannot write " + temporary + ": " + error.code().message());
    }
    ::close(fd);
    if (::rename(temporary.c_str(), path.c_str()) != 0)
        throw std::runtime_error("cannot rename " + temporary + " to " + path + ": " + systemError(errno));
}

}  // namespace citysense
