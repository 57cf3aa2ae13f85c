#include "ApiRoutes.h"

#include "AirQualityService.h"
#include "ExportService.h"

#include <array>
#include <utility>

namespace citysense::api {

namespace {

constexpr std::array<std::pair<ServicePath, const char*>, 5> kServicePaths = {{
    {ServicePath::Health, "/health"},
    {ServicePath::Metrics, "/metrics"},
    {ServicePath::LatestGeoJson, "/latest.geojson"},
    {ServicePath::OpenApi, "/openapi.json"},
    {ServicePath::Live, "/v1.1/live"},
}};

/// "/v1.1/Things({id})", "/v1.1/Observations('{id}')"
std::string entityPath(EntityType set) {
    const char* id = set == EntityType::Observation ? "('{id}')" : "({id})";
    return std::string(kVersionPath) + "/" + entitySetName(set) + id;
}

}  // namespace

std::optional<ServicePath> servicePath(const std::string& path) {
    for (const auto& [service, text] : kServicePaths) {
        if (path == text)
            return service;
    }
    return std::nullopt;
}

std::vector<Route> servedRoutes() {
    std::vector<Route> routes;
    for (const auto& [service, text] : kServicePaths)
        routes.push_back({Route::Kind::Service, text, service, EntityType::Thing, ""});
    routes.push_back({Route::Kind::Root, kVersionPath, ServicePath::Health, EntityType::Thing, ""});
    for (const EntityType set : entityTypes()) {
        routes.push_back({Route::Kind::Collection, std::string(kVersionPath) + "/" + entitySetName(set),
                          ServicePath::Health, set, ""});
        routes.push_back({Route::Kind::Entity, entityPath(set), ServicePath::Health, set, ""});
        for (const std::string& name : navigationNames(set))
            routes.push_back(
                {Route::Kind::Navigation, entityPath(set) + "/" + name, ServicePath::Health, set, name});
    }
    auto resources = AirQualityService::resources();
    for (auto& resource : ExportService::resources())
        resources.push_back(std::move(resource));
    for (const auto& [set, name] : resources)
        routes.push_back(
            {Route::Kind::Resource, entityPath(set) + "/" + name, ServicePath::Health, set, name});
    routes.push_back({Route::Kind::Admin,
                      std::string(kVersionPath) + "/admin/gateways/{system}/{city}/{street}/config",
                      ServicePath::Health, EntityType::Thing, ""});
    return routes;
}

}  // namespace citysense::api
