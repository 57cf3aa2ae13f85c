// The durable spool's on-disk format; the bookkeeping around it is in Spool.cpp.
//
// A segment file ("00000000000000000001.spool") starts with a 24-byte header:
//   the 8 bytes of kSpoolMagic, u64 sample count, u32 state, u32 CRC-32 of the 12 bytes before it
// The state is 0 while the segment is written to (the count is the one of the last flush to disk, so
// at least that many samples were in it) and 1 once it is closed (the count is final). The header is
// rewritten in place (pwrite) at every flush and when the segment is closed. Records follow it, back
// to back:
//   u32 payload length, u32 CRC-32 of the payload, payload
// A payload is
//   u32 sample count, u16 source count,
//   per source: system, city, street, instance (each u32 length + bytes), u8 has position,
//               f64 latitude, f64 longitude
//   per sample: u16 source index (0xffff: none), u8 quantity, u16 quality, f64 value, i64 time (µs)
// Format 1 (magic "CSSPOOL1", spools of citysense before the segment header) has no count: its records
// start right after the magic. It is still read, and never written.
//
// The spool directory also holds "index" (SpoolIndex.h), the sample count of every closed segment, so
// that even a segment cut to nothing, or one whose header is lost, has a known count.
//
// Numbers are in the machine's native byte order: a spool never leaves the host that wrote it, and a
// file that is not a spool segment fails the magic check.
#pragma once

#include <citysense/Sample.h>

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>

namespace citysense {

constexpr char kSpoolMagic[] = "CSSPOOL2";
constexpr char kSpoolMagicFormat1[] = "CSSPOOL1";
constexpr std::size_t kSpoolMagicSize = 8;
constexpr std::size_t kSegmentHeaderSize = kSpoolMagicSize + 8 + 4 + 4;
constexpr std::size_t kRecordHeaderSize = 8;
constexpr std::size_t kMinPayloadSize = 4 + 2;  ///< the sample and source counts
constexpr std::size_t kMaxSamplesPerRecord = 1000;
/// Longer payloads are never written (kMaxSamplesPerRecord bounds them); a length beyond it is damage.
constexpr std::uint32_t kMaxPayloadSize = 16 * 1024 * 1024;

/// A record that cannot be decoded although its checksum matched.
class SpoolFormatError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct SegmentHeader {
    std::uint64_t samples = 0;
    bool closed = false;  ///< the count is final; otherwise it is the count of the last flush
};

/// The kSegmentHeaderSize bytes of a segment's header, magic included.
std::string encodeSegmentHeader(const SegmentHeader& header);

/// Reads the kSegmentHeaderSize bytes of a header whose magic is kSpoolMagic; false when its checksum
/// does not match.
bool decodeSegmentHeader(const char* bytes, SegmentHeader& header);

struct RecordHeader {
    std::uint32_t length = 0;
    std::uint32_t checksum = 0;
};

/// Appends to `out` one record (header and payload) holding the samples of `batch` from `first` on,
/// as many as fit in `maxBytes` (at least one, at most kMaxSamplesPerRecord); returns how many.
std::size_t encodeRecord(const SampleBatch& batch, std::size_t first, std::size_t maxBytes, std::string& out);

RecordHeader decodeRecordHeader(const char* bytes);

std::uint32_t payloadChecksum(const char* payload, std::size_t length);

/// The sample count a payload starts with (the payload must hold at least 4 bytes).
std::uint32_t payloadSampleCount(const char* payload);

/// Appends the samples of a payload whose checksum matched to `out`, their sources interned again.
/// Throws SpoolFormatError when the payload does not parse; `out` is then unchanged.
void decodePayload(const char* payload, std::size_t length, SampleBatch& out);

}  // namespace citysense
