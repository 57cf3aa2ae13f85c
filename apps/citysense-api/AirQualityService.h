// Routes the requests of citysense-api's air-quality resources (AirQualityResources.h) and turns their
// refusals into answers: a parameter it cannot use or a malformed id is a 400 naming it, a missing
// Thing or Datastream a 404. Paths that are not its own are left to the SensingService.
#pragma once

#include "AirQualityAnswer.h"
#include "AirQualityStore.h"

#include <Poco/URI.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace citysense::api {

class AirQualityService {
public:
    explicit AirQualityService(ReadingsStore& store) : _store(store) {}

    /// `path`: below "/v1.1/", percent-decoded; `serviceRoot`: the start of every link
    /// ("http://host:8280/v1.1"). The answer when the path is Datastreams(id)/Aggregates,
    /// Things(id)/Compliance or Things(id)/AirQualityIndex; nothing for any other path.
    std::optional<AirQualityAnswer> answer(const std::string& path,
                                           const Poco::URI::QueryParameters& parameters,
                                           const std::string& serviceRoot);

    /// The resources answer() serves, each after an entity of a set: {Datastream, "Aggregates"}, ...
    static std::vector<std::pair<EntityType, std::string>> resources();

    /// /latest.geojson
    AirQualityAnswer latest(const Poco::URI::QueryParameters& parameters, const std::string& serviceRoot);

private:
    AirQualityStore _store;
};

}  // namespace citysense::api
