// Which Datastream and Thing a live reading belongs to: the sensors row the ingest stores it under
// (station, quantity and the ingest's driver instance, as sinks/sql keys it).
#pragma once

#include "ReadingsStore.h"

#include <citysense/Sample.h>

#include <cstdint>
#include <optional>
#include <string>

namespace citysense::api {

struct LiveIds {
    std::int64_t datastream = 0;  ///< sensors.id
    std::int64_t thing = 0;       ///< stations.id
};

class LiveStore {
public:
    /// `driver`: the ingest's driver instance (sensors.driver); empty: any, the lowest sensor id.
    LiveStore(ReadingsStore& store, std::string driver) : _store(store), _driver(std::move(driver)) {}

    /// The ids of the sensor of `quantity` at `station`; nothing when the store has none (yet).
    /// Throws Poco::Exception when the store cannot be read.
    std::optional<LiveIds> find(const Station& station, Quantity quantity);

private:
    ReadingsStore& _store;
    const std::string _driver;
};

}  // namespace citysense::api
