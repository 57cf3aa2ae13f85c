// When a polled driver reads next: on its interval's grid of the steady clock, so that drivers of the
// same interval, or of multiples of one, read at the same moments (as collectd aligns its reads), and
// what they read reaches a sink together, in one write, rather than waking every thread on the way
// to the broker once per driver.
#pragma once

#include <citysense/Time.h>

#include <algorithm>

namespace citysense {

/// The first grid point (a multiple of `interval`, > 0) after both `now` and `scheduled`, the time the
/// read that just ended was due: a read that woke early is not repeated at its own tick, and ticks
/// that a slow read missed are skipped, not made up in a burst.
inline Micros nextReadOnGrid(Micros scheduled, Micros now, Micros interval) {
    return (std::max(now, scheduled) / interval + 1) * interval;
}

}  // namespace citysense
