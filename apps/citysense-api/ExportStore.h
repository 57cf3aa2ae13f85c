// The readings store's queries behind citysense-api's CSV exports: one sensor's readings in time order,
// every one of them whatever its quality, a bounded chunk at a time through the primary key (sensor,
// time), so that an export of any length never holds more than a chunk of it.
#pragma once

#include "ReadingsStore.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace citysense::api {

class ExportStore {
public:
    explicit ExportStore(ReadingsStore& store) : _store(store) {}

    ReadingsStore& readingsStore() { return _store; }

    /// At most `limit` readings of `sensor` with from <= time < to and time > `after` (when given), in
    /// time order.
    std::vector<ReadingRow> readings(std::int64_t sensor, Micros from, Micros to, std::optional<Micros> after,
                                     std::size_t limit);

private:
    ReadingsStore& _store;
};

}  // namespace citysense::api
