// Every route citysense-api serves, in one list derived from the tables its router dispatches on: the
// service's own paths (below), the SensorThings entity model (each entity set, its entities and their
// navigation properties: SensingModel), the air-quality resources (AirQualityService), the exports
// (ExportService) and the admin route (GatewayConfigService). The OpenAPI document is built over this list,
// and its test checks that every route in it is documented and answered.
#pragma once

#include "SensingModel.h"

#include <optional>
#include <string>
#include <vector>

namespace citysense::api {

/// The paths outside the SensorThings entity model, which ApiServer answers itself (the live stream,
/// /v1.1/live, is beside the model's entity sets).
enum class ServicePath { Health, Metrics, LatestGeoJson, OpenApi, Live };

/// "/health" → ServicePath::Health; nothing for any other path.
std::optional<ServicePath> servicePath(const std::string& path);

/// The SensorThings API's version, which every path of it starts with.
inline constexpr const char* kVersionPath = "/v1.1";

struct Route {
    enum class Kind {
        Service,     ///< one of the ServicePaths
        Root,        ///< /v1.1, the entity sets
        Collection,  ///< /v1.1/Things
        Entity,      ///< /v1.1/Things({id})
        Navigation,  ///< /v1.1/Things({id})/Datastreams
        Resource,    ///< /v1.1/Things({id})/Compliance, beyond the standard
        Admin,       ///< /v1.1/admin/gateways/{system}/{city}/{street}/config (GatewayConfigService)
    };

    Kind kind;
    /// The OpenAPI path template: "/v1.1/Things({id})/Datastreams", "/v1.1/Observations('{id}')".
    std::string path;
    ServicePath service = ServicePath::Health;  ///< with Kind::Service
    EntityType set = EntityType::Thing;         ///< the entity set the path starts at
    std::string name;                           ///< the navigation property or resource
};

/// Every route served, in the order above.
std::vector<Route> servedRoutes();

}  // namespace citysense::api
