// How a sink runner finds a poison sample: one its sink can never write, which would otherwise be
// retried forever and hold up everything behind it. It must never mistake a sink that is down (the
// network, the broker, the database) for poison, or an outage would empty the spool into the
// dead-letter file. So a sample is set aside only
//  - at once when the sink says the data itself is refused (PermanentWriteError): a batch refused so
//    is split in halves, written at once, until the refused samples stand alone; or
//  - when it has failed alone `max_attempts` times, then the sink took another sample (the probe:
//    the last sample it took, sent again, a harmless duplicate that keeps the order), and right
//    after that it failed once more.
// A batch whose write fails `max_attempts` times in a row is split in halves, and each further
// failure halves it again, so that the samples ahead of a poison one are delivered and it ends up
// alone at the head. After successes the write size doubles back to batch_size. While the sink is
// down, writes only shrink, probes fail and nothing is set aside.
#pragma once

#include <cstddef>

namespace citysense {

class PoisonSearch {
public:
    /// `maxAttempts` 0: nothing is ever set aside, every failure is retried (as before the search).
    PoisonSearch(std::size_t batchSize, unsigned maxAttempts);

    /// Most samples to take for the next write; while probing, the head sample and the one behind it.
    std::size_t takeSize() const { return _probing ? 2 : _writeSize; }
    /// Most samples to write of what was taken (the rest goes back).
    std::size_t writeSize() const { return _probing ? 1 : _writeSize; }
    /// The head sample failed alone max_attempts times: probe the sink before trying it again.
    bool probing() const { return _probing; }
    unsigned maxAttempts() const { return _maxAttempts; }

    enum class Verdict {
        Retry,   ///< after the retry delay (the write size may have shrunk)
        Halve,   ///< the sink refused the data: write the first half at once
        Poison,  ///< the one sample written is refused: set it aside
    };
    /// A write of `samples` samples failed; `permanent` when the sink said the data is refused.
    Verdict failed(std::size_t samples, bool permanent);
    /// A write succeeded.
    void written();
    /// The probe failed: the sink is down; the head sample gets max_attempts more attempts.
    void probeFailed();
    /// The probed head sample was delivered or set aside.
    void settled();

private:
    const std::size_t _batchSize;
    const unsigned _maxAttempts;
    std::size_t _writeSize;
    unsigned _failures = 0;  ///< since the write size was last batch_size
    bool _grow = false;      ///< the last write succeeded too: double the write size
    bool _probing = false;
};

}  // namespace citysense
