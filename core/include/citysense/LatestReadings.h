// The newest reading of a quantity at a station, among the samples this host's drivers deliver.
// A driver that corrects for another quantity (a gas cell for temperature) watches it in configure()
// and looks it up when it reads.
#pragma once

#include <citysense/Sample.h>

#include <optional>

namespace citysense {

/// From now on the host records the newest sample of `quantity` for every station.
void watchLatest(Quantity quantity);

/// The newest sample of a watched quantity at `station`; nothing if none was delivered yet.
std::optional<Sample> latestReading(const Station& station, Quantity quantity);

/// Called by the host for every batch drivers deliver; records the watched quantities.
void recordLatest(const SampleBatch& batch);

}  // namespace citysense
