#include "SpoolSegment.h"

#include "SpoolFormat.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <system_error>

namespace citysense {

namespace {

const std::string kSuffix = ".spool";
constexpr std::size_t kDigits = 20;

/// Reads up to `length` bytes at `offset`; fewer only at the end of the file.
std::size_t readAt(int fd, std::uint64_t offset, char* out, std::size_t length) {
    std::size_t done = 0;
    while (done < length) {
        const ssize_t got = ::pread(fd, out + done, length - done, static_cast<off_t>(offset + done));
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0)
            throw std::runtime_error("read error: " + systemError(errno));
        if (got == 0)
            break;
        done += static_cast<std::size_t>(got);
    }
    return done;
}

}  // namespace

std::string systemError(int error) {
    return std::generic_category().message(error);
}

std::string segmentFileName(std::uint64_t number) {
    char name[kDigits + 1];
    std::snprintf(name, sizeof name, "%020llu", static_cast<unsigned long long>(number));
    return name + kSuffix;
}

bool parseSegmentFileName(const std::string& name, std::uint64_t& number) {
    if (name.size() != kDigits + kSuffix.size() || name.compare(kDigits, kSuffix.size(), kSuffix) != 0)
        return false;
    const auto digitsEnd = name.begin() + static_cast<std::ptrdiff_t>(kDigits);
    if (!std::all_of(name.begin(), digitsEnd, [](unsigned char c) { return std::isdigit(c); }))
        return false;
    number = std::stoull(name.substr(0, kDigits));
    return true;
}

std::string readRecordAt(int fd, std::uint64_t offset, std::uint64_t end, SampleBatch& out,
                         std::uint64_t& next) {
    try {
        char bytes[kRecordHeaderSize];
        if (end - offset < kRecordHeaderSize || readAt(fd, offset, bytes, sizeof bytes) < sizeof bytes)
            return "the record header is cut short";
        const RecordHeader header = decodeRecordHeader(bytes);
        if (header.length < kMinPayloadSize || header.length > kMaxPayloadSize)
            return "bad record length " + std::to_string(header.length);
        const std::uint64_t available = end - offset - kRecordHeaderSize;
        if (header.length > available)
            return "the record is cut short (" + std::to_string(available) + " of " +
                   std::to_string(header.length) + " bytes)";
        std::string payload(header.length, '\0');
        if (readAt(fd, offset + kRecordHeaderSize, payload.data(), payload.size()) < payload.size())
            return "the record is cut short";
        if (payloadChecksum(payload.data(), payload.size()) != header.checksum)
            return "bad checksum";
        decodePayload(payload.data(), payload.size(), out);
        next = offset + kRecordHeaderSize + header.length;
        return "";
    } catch (const std::runtime_error& error) {
        return error.what();
    }
}

SegmentState scanSegmentFile(SpoolSegment& segment, std::string& problem) {
    const int fd = ::open(segment.path.c_str(), O_RDONLY | O_CLOEXEC);
    struct stat info {};
    if (fd < 0 || ::fstat(fd, &info) != 0) {
        problem = systemError(errno);
        if (fd >= 0)
            ::close(fd);
        return SegmentState::Unreadable;
    }
    segment.bytes = static_cast<std::uint64_t>(info.st_size);
    char magic[kSpoolMagicSize] = {};
    std::size_t got = 0;
    try {
        got = readAt(fd, 0, magic, sizeof magic);
    } catch (const std::runtime_error& error) {
        problem = error.what();
        ::close(fd);
        return SegmentState::Unreadable;
    }
    if (got < kSpoolMagicSize) {
        ::close(fd);
        return segment.bytes == got && std::memcmp(magic, kSpoolMagic, got) == 0 ? SegmentState::Empty
                                                                                 : SegmentState::Foreign;
    }
    if (std::memcmp(magic, kSpoolMagic, kSpoolMagicSize) != 0) {
        ::close(fd);
        return SegmentState::Foreign;
    }
    segment.offset = segment.end = kSpoolMagicSize;
    segment.samples = 0;
    SampleBatch samples;
    while (segment.end < segment.bytes) {
        samples.clear();
        std::uint64_t next = 0;
        problem = readRecordAt(fd, segment.end, segment.bytes, samples, next);
        if (!problem.empty())
            break;
        segment.samples += samples.size();
        segment.end = next;
    }
    ::close(fd);
    return SegmentState::Valid;
}

int createSegmentFile(const std::string& path) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0640);
    if (fd < 0)
        throw std::runtime_error("cannot create " + path + ": " + systemError(errno));
    try {
        writeAll(fd, kSpoolMagic, kSpoolMagicSize);
    } catch (const std::system_error& error) {
        ::close(fd);
        ::unlink(path.c_str());
        throw std::runtime_error("cannot write " + path + ": " + error.code().message());
    }
    return fd;
}

void writeAll(int fd, const char* data, std::size_t length) {
    while (length > 0) {
        const ssize_t written = ::write(fd, data, length);
        if (written < 0 && errno == EINTR)
            continue;
        if (written < 0)
            throw std::system_error(errno, std::generic_category());
        data += written;
        length -= static_cast<std::size_t>(written);
    }
}

}  // namespace citysense
