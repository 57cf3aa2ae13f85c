// citysense-api's air-quality resources, beyond the SensorThings standard (see the README's API
// section for their parameters and answers):
//   Datastreams(id)/Aggregates    hourly, daily, monthly or yearly aggregates with the EU validity rules
//   Things(id)/Compliance         a station's year against an EU limit set
//   Things(id)/AirQualityIndex    the European Air Quality Index per station-hour
//   /latest.geojson               every station's latest values and current index, for a map
// Each throws ParameterError for a parameter it cannot use.
#pragma once

#include "AirQualityAnswer.h"
#include "AirQualityStore.h"

#include <Poco/URI.h>

#include <string>

namespace citysense::api {

/// `serviceRoot`: "http://host:8280/v1.1", the start of the SensorThings links.
AirQualityAnswer aggregatesResource(AirQualityStore& store, std::int64_t datastream,
                                    const Poco::URI::QueryParameters& parameters,
                                    const std::string& serviceRoot);
AirQualityAnswer complianceResource(AirQualityStore& store, std::int64_t thing,
                                    const Poco::URI::QueryParameters& parameters,
                                    const std::string& serviceRoot);
AirQualityAnswer indexResource(AirQualityStore& store, std::int64_t thing,
                               const Poco::URI::QueryParameters& parameters, const std::string& serviceRoot);
AirQualityAnswer latestSnapshot(AirQualityStore& store, const Poco::URI::QueryParameters& parameters,
                                const std::string& serviceRoot);

}  // namespace citysense::api
