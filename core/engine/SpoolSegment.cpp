#include "SpoolSegment.h"

#include "SystemError.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <system_error>

namespace citysense {

namespace {

const std::string kSuffix = ".spool";
constexpr std::size_t kDigits = 20;

/// Bytes read at once where a record starts: its header and, usually, all of it.
constexpr std::size_t kFirstRead = 512;

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

std::string segmentFileName(std::uint64_t number) {
    char name[kDigits + 1];
    std::snprintf(name, sizeof name, "%020llu", static_cast<unsigned long long>(number));
    return name + kSuffix;
}

SegmentName parseSegmentFileName(const std::string& name, std::uint64_t& number) {
    if (name.size() < kSuffix.size() ||
        name.compare(name.size() - kSuffix.size(), kSuffix.size(), kSuffix) != 0)
        return SegmentName::Other;
    if (name.size() != kDigits + kSuffix.size())
        return SegmentName::Malformed;
    const char* digitsEnd = name.data() + kDigits;
    std::uint64_t parsed = 0;
    const auto [end, error] = std::from_chars(name.data(), digitsEnd, parsed);
    if (error != std::errc() || end != digitsEnd || parsed == 0 ||
        parsed == std::numeric_limits<std::uint64_t>::max())
        return SegmentName::Malformed;
    number = parsed;
    return SegmentName::Segment;
}

std::string readRecordAt(int fd, std::uint64_t offset, std::uint64_t end, SampleBatch& out,
                         std::uint64_t& next) {
    try {
        // The header and, for the usual record of a few samples, its payload in one read.
        std::string record(static_cast<std::size_t>(std::min<std::uint64_t>(kFirstRead, end - offset)), '\0');
        const std::size_t got = readAt(fd, offset, record.data(), record.size());
        if (got < kRecordHeaderSize)
            return "the record header is cut short";
        const RecordHeader header = decodeRecordHeader(record.data());
        if (header.length < kMinPayloadSize || header.length > kMaxPayloadSize)
            return "bad record length " + std::to_string(header.length);
        const std::uint64_t available = end - offset - kRecordHeaderSize;
        if (header.length > available)
            return "the record is cut short (" + std::to_string(available) + " of " +
                   std::to_string(header.length) + " bytes)";
        const std::size_t size = kRecordHeaderSize + header.length;
        if (got < size) {
            if (got < record.size())  // the file ended within the first read
                return "the record is cut short";
            record.resize(size);
            if (readAt(fd, offset + got, record.data() + got, size - got) < size - got)
                return "the record is cut short";
        }
        const char* payload = record.data() + kRecordHeaderSize;
        if (payloadChecksum(payload, header.length) != header.checksum)
            return "bad checksum";
        decodePayload(payload, header.length, out);
        next = offset + kRecordHeaderSize + header.length;
        return "";
    } catch (const std::runtime_error& error) {
        return error.what();
    }
}

SegmentScan scanSegmentFile(SpoolSegment& segment) {
    SegmentScan scan;
    const int fd = ::open(segment.path.c_str(), O_RDONLY | O_CLOEXEC);
    struct stat info {};
    if (fd < 0 || ::fstat(fd, &info) != 0) {
        scan.problem = systemError(errno);
        if (fd >= 0)
            ::close(fd);
        return scan;
    }
    segment.bytes = static_cast<std::uint64_t>(info.st_size);
    char header[kSegmentHeaderSize] = {};
    std::size_t got = 0;
    try {
        got = readAt(fd, 0, header, sizeof header);
    } catch (const std::runtime_error& error) {
        scan.problem = error.what();
        ::close(fd);
        return scan;
    }
    const bool format1 =
        got >= kSpoolMagicSize && std::memcmp(header, kSpoolMagicFormat1, kSpoolMagicSize) == 0;
    const bool format2 = got >= kSpoolMagicSize && std::memcmp(header, kSpoolMagic, kSpoolMagicSize) == 0;
    if (!format1 && !(format2 && got == kSegmentHeaderSize)) {
        ::close(fd);
        // Both magics start alike: a file holding only the start of one was cut short as it was created.
        const bool headerStart =
            format2 || (got < kSpoolMagicSize && std::memcmp(header, kSpoolMagic, got) == 0);
        scan.state = headerStart && segment.bytes == got ? SegmentState::Empty : SegmentState::Foreign;
        return scan;
    }
    scan.state = SegmentState::Valid;
    scan.format = format1 ? 1 : 2;
    if (format2)
        scan.headerIntact = decodeSegmentHeader(header, scan.header);
    segment.offset = segment.end = format1 ? kSpoolMagicSize : kSegmentHeaderSize;
    segment.samples = 0;
    SampleBatch samples;
    while (segment.end < segment.bytes) {
        samples.clear();
        std::uint64_t next = 0;
        scan.problem = readRecordAt(fd, segment.end, segment.bytes, samples, next);
        if (!scan.problem.empty())
            break;
        segment.samples += samples.size();
        segment.end = next;
    }
    segment.total = segment.samples;
    ::close(fd);
    return scan;
}

int createSegmentFile(const std::string& path) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
    if (fd < 0)
        throw std::runtime_error("cannot create " + path + ": " + systemError(errno));
    try {
        writeSegmentHeader(fd, SegmentHeader{});
    } catch (const std::system_error& error) {
        ::close(fd);
        ::unlink(path.c_str());
        throw std::runtime_error("cannot write " + path + ": " + error.code().message());
    }
    return fd;
}

void writeSegmentHeader(int fd, const SegmentHeader& header) {
    const std::string bytes = encodeSegmentHeader(header);
    writeAllAt(fd, bytes.data(), bytes.size(), 0);
}

}  // namespace citysense
