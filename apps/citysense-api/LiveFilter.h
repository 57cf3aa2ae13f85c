// Which readings a live stream gets: the request's filters (`things=`, `datastreams=`, `quantities=`,
// read here from the query string a client sends) and the stations its key may see.
#pragma once

#include "LiveEvent.h"

#include <Poco/URI.h>

#include <cstdint>
#include <set>
#include <string>
#include <vector>

namespace citysense::api {

/// Which events a stream gets: those the request's filters (each empty: any) and the key's station
/// patterns (empty: every station) all let through.
struct LiveFilter {
    std::set<std::int64_t> things;
    std::set<std::int64_t> datastreams;
    std::set<Quantity> quantities;
    std::vector<std::string> stations;

    bool accepts(const LiveObservation& observation) const;
};

/// The filters of a /v1.1/live request's query parameters (stations empty: the key's are set apart).
/// Throws std::invalid_argument naming the parameter that is wrong: unknown, given twice, an id that is
/// not a positive integer, a name that is not a quantity.
LiveFilter readLiveFilter(const Poco::URI::QueryParameters& parameters);

}  // namespace citysense::api
