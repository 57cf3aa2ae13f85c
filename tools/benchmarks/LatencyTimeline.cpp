// The end-to-end latency bench's per-second timeline (LatencyTimeline.h).
#include "LatencyTimeline.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

namespace citysense::bench {

double percentileMs(const std::vector<Micros>& sorted, double p) {
    if (sorted.empty())
        return 0;
    std::size_t rank = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(sorted.size())));
    rank = std::clamp<std::size_t>(rank, 1, sorted.size());
    return static_cast<double>(sorted[rank - 1]) / 1000.0;
}

LatencyTimeline::LatencyTimeline(Micros start, std::size_t seconds) : _start(start), _seconds(seconds) {}

LatencyTimeline::Second* LatencyTimeline::at(Micros time) {
    if (time < _start)
        return nullptr;
    const auto index = static_cast<std::size_t>((time - _start) / kMicrosPerSecond);
    return index < _seconds.size() ? &_seconds[index] : nullptr;
}

void LatencyTimeline::add(Part part, Micros time, Micros latency) {
    if (Second* second = at(time))
        second->parts[part].push_back(latency);
}

void LatencyTimeline::addQueueDepth(Micros at, double depth) {
    _queueWatched = true;
    if (Second* second = this->at(at))
        second->deepestQueue = std::max(second->deepestQueue, depth);
}

void LatencyTimeline::print(double stallMs) const {
    std::printf("    timeline (by read time; ms: p50 / p99 / max%s):\n",
                _queueWatched ? "; the gateway's sink queue: its deepest in that second" : "");
    std::printf("    %4s %7s   %-24s %-24s %-24s%s\n", "s", "rows", "read -> broker delivery",
                "delivery -> row", "read -> row visible", _queueWatched ? " gateway queue" : "");
    std::string stalls;
    for (std::size_t i = 0; i < _seconds.size(); ++i) {
        std::printf("    %4zu %7zu", i, _seconds[i].parts[Row].size());
        double rowMax = 0;
        for (int part : {Delivery, Ingest, Row}) {
            std::vector<Micros> sorted = _seconds[i].parts[part];
            std::sort(sorted.begin(), sorted.end());
            if (sorted.empty())
                std::printf("   %-22s", "-");
            else
                std::printf("   %6.1f %7.1f %7.1f", percentileMs(sorted, 50), percentileMs(sorted, 99),
                            percentileMs(sorted, 100));
            if (part == Row)
                rowMax = percentileMs(sorted, 100);
        }
        if (_queueWatched)
            std::printf("   %7.0f", _seconds[i].deepestQueue);
        std::printf("\n");
        if (rowMax > stallMs)
            stalls += (stalls.empty() ? "" : ", ") + std::to_string(i);
    }
    std::printf("    seconds with a row later than %.0f ms: %s\n", stallMs,
                stalls.empty() ? "none" : stalls.c_str());
}

}  // namespace citysense::bench
