#include <citysense/LatestReadings.h>

#include <atomic>
#include <map>
#include <mutex>

namespace citysense {

namespace {

std::atomic<std::uint32_t> watched{0};  // one bit per Quantity

struct Table {
    std::mutex mutex;
    std::map<std::pair<Station, Quantity>, Sample> latest;
};

Table& table() {
    static Table instance;
    return instance;
}

std::uint32_t bit(Quantity quantity) {
    return 1u << static_cast<unsigned>(quantity);
}

}  // namespace

void watchLatest(Quantity quantity) {
    watched |= bit(quantity);
}

std::optional<Sample> latestReading(const Station& station, Quantity quantity) {
    Table& readings = table();
    std::lock_guard<std::mutex> lock(readings.mutex);
    const auto found = readings.latest.find({station, quantity});
    if (found == readings.latest.end())
        return std::nullopt;
    return found->second;
}

void recordLatest(const SampleBatch& batch) {
    const std::uint32_t mask = watched.load(std::memory_order_relaxed);
    if (mask == 0)
        return;
    Table& readings = table();
    std::lock_guard<std::mutex> lock(readings.mutex);
    for (const auto& sample : batch) {
        if ((mask & bit(sample.quantity)) && sample.source) {
            Sample& slot = readings.latest[{sample.source->station, sample.quantity}];
            if (sample.time >= slot.time)
                slot = sample;
        }
    }
}

}  // namespace citysense
