// Exponential backoff for retrying a failing driver or sink.
#pragma once

#include <citysense/Time.h>

#include <algorithm>

namespace citysense {

class Backoff {
public:
    Backoff(Micros initial, Micros maximum) : _initial(initial), _maximum(std::max(initial, maximum)) {}

    /// The wait before the next attempt; each call doubles it, up to the maximum.
    Micros next() {
        const Micros delay = _current == 0 ? _initial : std::min(_current * 2, _maximum);
        _current = delay;
        return delay;
    }

    void reset() { _current = 0; }

private:
    Micros _initial;
    Micros _maximum;
    Micros _current = 0;
};

}  // namespace citysense
