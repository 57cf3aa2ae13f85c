#include "PoisonSearch.h"

#include <algorithm>

namespace citysense {

PoisonSearch::PoisonSearch(std::size_t batchSize, unsigned maxAttempts)
    : _batchSize(batchSize), _maxAttempts(maxAttempts), _writeSize(batchSize) {}

PoisonSearch::Verdict PoisonSearch::failed(std::size_t samples, bool permanent) {
    _grow = false;
    if (_maxAttempts == 0)
        return Verdict::Retry;
    if (permanent) {
        if (samples <= 1)
            return Verdict::Poison;
        _writeSize = samples / 2;
        return Verdict::Halve;
    }
    ++_failures;
    if (_failures < _maxAttempts)
        return Verdict::Retry;
    // The failures go on counting, so each further one halves again: once the first half of a
    // batch is delivered, the half with the poison in it fails and is halved at its first failure.
    if (samples > 1)
        _writeSize = std::max<std::size_t>(1, samples / 2);
    else
        _probing = true;
    return Verdict::Retry;
}

void PoisonSearch::written() {
    if (_writeSize < _batchSize) {
        // Not at the first success after a failure: that is often the half ahead of the poison.
        if (_grow)
            _writeSize = std::min(_batchSize, _writeSize * 2);
        _grow = true;
    }
    if (_writeSize == _batchSize)
        _failures = 0;
}

void PoisonSearch::probeFailed() {
    _probing = false;
    _failures = 0;
}

void PoisonSearch::settled() {
    _probing = false;
    _grow = false;
}

}  // namespace citysense
