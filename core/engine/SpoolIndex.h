// The index of a spool directory: the sample count of every closed segment, so that a segment cut
// short, cut to nothing or with a lost header still says what it held. A text file ("index"):
//   citysense spool index 1
//   <segment number> <sample count>      one line per closed segment, in order
// It is rewritten whole, atomically (a temporary file renamed over it), when a segment is closed,
// deleted or found damaged; the segment being written is not in it (its header counts it, see
// SpoolFormat.h). It is not flushed to the disk itself: that would cost the delivery of a spool a
// flush per segment, and what it guards against is mostly a process that died, after which the kernel
// still writes it. A power loss may leave an older index (on ext4, whose journal keeps metadata in
// order, never one older than a segment's deletion): a closed segment's header counts it as well.
#pragma once

#include <cstdint>
#include <map>
#include <string>

namespace citysense {

/// Segment number → sample count.
using SpoolIndex = std::map<std::uint64_t, std::uint64_t>;

/// Reads `directory`/index; a missing one is empty. Returns what is wrong with it (naming the file
/// and the line), empty when nothing is; `index` is then empty too.
std::string readSpoolIndex(const std::string& directory, SpoolIndex& index);

/// Replaces `directory`/index. Throws std::runtime_error naming the file.
void writeSpoolIndex(const std::string& directory, const SpoolIndex& index);

}  // namespace citysense
