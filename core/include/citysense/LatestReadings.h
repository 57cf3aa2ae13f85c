// The newest reading of each watched quantity at each station, among the samples one loaded
// configuration's drivers deliver. The host owns one per configuration, records every batch its drivers
// deliver, and lends it to every instance (Plugin::latestReadings()); a reload starts with a fresh one.
// A driver that corrects for another quantity (a gas cell for temperature) watches it in configure()
// and looks it up when it reads. Thread-safe.
#pragma once

#include <citysense/Sample.h>

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <utility>

namespace citysense {

class LatestReadings {
public:
    /// From now on the newest sample of `quantity` is recorded for every station.
    void watch(Quantity quantity);

    /// The newest sample of a watched quantity at `station`; nothing if none was delivered yet.
    std::optional<Sample> latest(const Station& station, Quantity quantity) const;

    /// Records the samples of watched quantities in `batch` that are newer than those recorded.
    /// Called by the host for every batch drivers deliver.
    void record(const SampleBatch& batch);

private:
    std::atomic<std::uint32_t> _watched{0};  ///< one bit per Quantity
    mutable std::mutex _mutex;
    std::map<std::pair<Station, Quantity>, Sample> _latest;
};

}  // namespace citysense
