// The segment files of the durable spool: their names, creating one, reading a record back and
// scanning a whole file when the spool opens. The byte layout is in SpoolFormat.h.
#pragma once

#include "SpoolFormat.h"

#include <citysense/Sample.h>

#include <cstdint>
#include <string>

namespace citysense {

/// A segment file and how far it has been consumed (kept in memory only: see Spool.h).
struct SpoolSegment {
    std::uint64_t number = 0;
    std::string path;
    std::uint64_t bytes = 0;    ///< the file's size
    std::uint64_t end = 0;      ///< where readable records end (damage may follow)
    std::uint64_t offset = 0;   ///< the first record not yet consumed
    std::uint64_t samples = 0;  ///< samples not yet consumed
    std::uint64_t total = 0;  ///< samples its readable records hold, consumed or not (its count in the index)
};

/// "00000000000000000001.spool": zero-padded, so names sort like numbers.
std::string segmentFileName(std::uint64_t number);

enum class SegmentName {
    Segment,    ///< a segment file's name; its number is set
    Malformed,  ///< ends in ".spool" but is no segment's name (not 20 digits, 0, or out of range)
    Other,      ///< some other file's (the lock file)
};

/// Reads a file name in the spool directory. Segment numbers run from 1 to 2^64 - 2, so that the
/// number after the last one always exists.
SegmentName parseSegmentFileName(const std::string& name, std::uint64_t& number);

enum class SegmentState {
    Valid,       ///< a segment; damage, if any, is where its readable records end
    Empty,       ///< shorter than its header, and the part there is a header's start: no records
    Foreign,     ///< not a spool segment (wrong magic)
    Unreadable,  ///< could not be opened or read
};

/// What reading a segment file through found.
struct SegmentScan {
    SegmentState state = SegmentState::Unreadable;
    std::string problem;        ///< why the file is unreadable, or what damage ends a valid one's records
    int format = 0;             ///< Valid: 1 (no header, no count) or 2 (SpoolFormat.h)
    bool headerIntact = false;  ///< format 2: the header's checksum matched, so `header` holds
    SegmentHeader header;
};

/// Reads the file `segment.path` through, checking every record, and sets its bytes, end, offset,
/// samples and total.
SegmentScan scanSegmentFile(SpoolSegment& segment);

/// Creates a segment file holding its header (no samples yet) and returns a descriptor for writing
/// it at offsets (pwrite: records after the header, the header with writeSegmentHeader()). Throws
/// std::runtime_error naming the file.
int createSegmentFile(const std::string& path);

/// Rewrites the header of the segment file open as `fd`; throws std::system_error.
void writeSegmentHeader(int fd, const SegmentHeader& header);

/// Reads and checks the record at `offset` of a file whose records end at `end`: appends its samples
/// to `out` and sets `next` past it. Returns what is wrong with it; empty when nothing is.
std::string readRecordAt(int fd, std::uint64_t offset, std::uint64_t end, SampleBatch& out,
                         std::uint64_t& next);

}  // namespace citysense
