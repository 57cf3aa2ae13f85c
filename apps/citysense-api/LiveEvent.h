// One reading as the live stream sends it: the SSE event's data, the ids and names a stream's filters
// and the key's station list look at, and the sequence number clients resume after.
#pragma once

#include <citysense/Quantity.h>
#include <citysense/Time.h>

#include <cstdint>
#include <memory>
#include <string>

namespace citysense::api {

struct LiveObservation {
    std::int64_t datastream = 0;  ///< sensors.id
    std::int64_t thing = 0;       ///< stations.id
    Quantity quantity = Quantity::Temperature;
    std::string system, city, street;  ///< the station, for the key's station patterns
    /// {"Datastream@iot.id":3,"Thing@iot.id":1,"ObservedProperty":"no2","unit":"ppb",
    ///  "phenomenonTime":"...Z","result":12.5,"resultQuality":["ok"]}
    std::string data;
};

/// `observation`'s data line.
std::string liveObservationData(std::int64_t datastream, std::int64_t thing, Quantity quantity, double value,
                                Micros time, std::uint16_t quality);

struct LiveEvent {
    std::uint64_t id = 0;  ///< increasing; the first of a run is its start time in µs
    Micros received = 0;   ///< steady time it was published, for the window's age
    std::shared_ptr<const LiveObservation> observation;
    /// "id: 7\nevent: observation\ndata: {...}\n\n", written once for every stream
    std::shared_ptr<const std::string> text;
};

/// The event `id` of `observation`, its text included.
LiveEvent liveEvent(std::uint64_t id, Micros received, std::shared_ptr<const LiveObservation> observation);

}  // namespace citysense::api
