// The end-to-end latency bench's per-second timeline: for each second of the window, by the readings'
// timestamps (the driver's reads), how many rows were stored and the p50/p99/max of three latencies:
// read → delivered by the broker to a subscriber (LatencyObserver.h: the gateway and the broker), that
// delivery → row visible (the ingest, its sql sink and the commit), and read → row visible. A stall
// shows as a second whose max jumps; which part jumps says on which side of the broker it happened.
#pragma once

#include <citysense/Time.h>

#include <cstddef>
#include <vector>

namespace citysense::bench {

class LatencyTimeline {
public:
    /// Seconds from `start` (wall clock, µs) for `seconds` seconds.
    LatencyTimeline(Micros start, std::size_t seconds);

    enum Part { Delivery, Ingest, Row };

    /// A reading read at `time` got through `part` of the path in `latency`.
    void add(Part part, Micros time, Micros latency);
    /// The gateway's sink queue held `depth` samples at `at` (QueueWatch.h): the table gets a column of
    /// each second's deepest, by the wall clock.
    void addQueueDepth(Micros at, double depth);

    /// Prints the table, and the seconds whose row max passes `stallMs`, indented by four spaces.
    void print(double stallMs) const;

private:
    struct Second {
        std::vector<Micros> parts[3];  ///< by Part
        double deepestQueue = -1;      ///< -1: not watched
    };
    Second* at(Micros time);

    Micros _start;
    std::vector<Second> _seconds;
    bool _queueWatched = false;
};

/// The nearest-rank percentile `p` of `sorted`, in milliseconds; 0 for none.
double percentileMs(const std::vector<Micros>& sorted, double p);

}  // namespace citysense::bench
