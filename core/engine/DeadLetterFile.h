// A sink's dead-letter file: samples it can never write (PoisonSearch.h), set aside in the sink's
// spool directory ("<spool_dir>/sink.NAME/dead-letters") so that they no longer hold up what follows.
// Append-only text, for an operator to read with a pager, grep or jq: per batch set aside, one line
//   {"dead_lettered":"<ISO time>","sink":"sink.db","reason":"...","samples":1}
// then one line per sample, as the console sink's JSON format writes it. Bounded: a batch that would
// take the file past its bound is not written (the caller counts it as dropped). Nothing reads it
// back; an operator who has dealt with it deletes it.
#pragma once

#include <citysense/Sample.h>

#include <cstdint>
#include <string>

namespace citysense {

class DeadLetterFile {
public:
    DeadLetterFile(std::string path, std::uint64_t sizeBound);

    /// Appends the samples with the reason and flushes them to the disk; false when they would take
    /// the file past its bound. Throws std::runtime_error naming the file.
    bool append(const SampleBatch& samples, const std::string& sink, const std::string& reason);

    const std::string& path() const { return _path; }

private:
    const std::string _path;
    const std::uint64_t _sizeBound;
};

}  // namespace citysense
