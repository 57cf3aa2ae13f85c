#include <citysense/LatestReadings.h>

namespace citysense {

namespace {

std::uint32_t bit(Quantity quantity) {
    return 1u << static_cast<unsigned>(quantity);
}

}  // namespace

void LatestReadings::watch(Quantity quantity) {
    _watched |= bit(quantity);
}

std::optional<Sample> LatestReadings::latest(const Station& station, Quantity quantity) const {
    std::lock_guard<std::mutex> lock(_mutex);
    const auto found = _latest.find({station, quantity});
    if (found == _latest.end())
        return std::nullopt;
    return found->second;
}

void LatestReadings::record(const SampleBatch& batch) {
    const std::uint32_t watched = _watched.load(std::memory_order_relaxed);
    if (watched == 0)
        return;
    std::lock_guard<std::mutex> lock(_mutex);
    for (const auto& sample : batch) {
        if ((watched & bit(sample.quantity)) && sample.source) {
            Sample& slot = _latest[{sample.source->station, sample.quantity}];
            if (sample.time >= slot.time)
                slot = sample;
        }
    }
}

}  // namespace citysense
