#include "AirQualityService.h"

#include "AirQualityResources.h"
#include "ResourcePath.h"

#include <array>

namespace citysense::api {

namespace {

using Resource = AirQualityAnswer (*)(AirQualityStore&, std::int64_t, const Poco::URI::QueryParameters&,
                                      const std::string&);

struct Route {
    EntityType set;
    const char* name;  ///< after the entity: "Aggregates" in Datastreams(3)/Aggregates
    Resource resource;
};

constexpr std::array<Route, 3> kRoutes = {{
    {EntityType::Datastream, "Aggregates", aggregatesResource},
    {EntityType::Thing, "Compliance", complianceResource},
    {EntityType::Thing, "AirQualityIndex", indexResource},
}};

}  // namespace

std::optional<AirQualityAnswer> AirQualityService::answer(const std::string& path,
                                                          const Poco::URI::QueryParameters& parameters,
                                                          const std::string& serviceRoot) {
    const auto slash = path.rfind('/');
    if (slash == std::string::npos)
        return std::nullopt;
    const std::string last = path.substr(slash + 1);
    for (const Route& route : kRoutes) {
        if (last != route.name)
            continue;
        try {
            const ResourcePath entity = parseResourcePath(path.substr(0, slash));
            if (entity.set != route.set || !entity.id || !entity.navigations.empty())
                return std::nullopt;
            return route.resource(_store, std::get<std::int64_t>(*entity.id), parameters, serviceRoot);
        } catch (const MalformedPath& error) {
            return airQualityError(400, error.what());
        } catch (const UnknownPath&) {
            return std::nullopt;
        } catch (const ParameterError& error) {
            return parameterAnswer(error);
        }
    }
    return std::nullopt;
}

std::vector<std::pair<EntityType, std::string>> AirQualityService::resources() {
    std::vector<std::pair<EntityType, std::string>> result;
    for (const Route& route : kRoutes)
        result.emplace_back(route.set, route.name);
    return result;
}

AirQualityAnswer AirQualityService::latest(const Poco::URI::QueryParameters& parameters,
                                           const std::string& serviceRoot) {
    try {
        return latestSnapshot(_store, parameters, serviceRoot);
    } catch (const ParameterError& error) {
        return parameterAnswer(error);
    }
}

}  // namespace citysense::api
