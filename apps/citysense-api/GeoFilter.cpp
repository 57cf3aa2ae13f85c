#include "GeoFilter.h"

#include "query/QueryError.h"

#include <algorithm>

namespace citysense::api {

GeoArea locationArea(const Expression& filter) {
    const auto* call = std::get_if<Call>(&filter.node);
    if (!call || call->function != Function::GeoIntersects)
        throw QueryError("$filter", filter.position,
                         "on Locations, $filter is geo.intersects(location, geography'POLYGON((...))') or "
                         "geography'BBOX(west,south,east,north)'");
    const Expression& property = *call->arguments[0];
    const auto* path = std::get_if<PropertyPath>(&property.node);
    if (!path || path->segments.size() != 1 || path->segments[0] != "location")
        throw QueryError("$filter", property.position, "geo.intersects on Locations takes location");
    const Expression& area = *call->arguments[1];
    const auto* literal = std::get_if<Literal>(&area.node);
    const auto* geography = literal ? std::get_if<GeoArea>(literal) : nullptr;
    if (!geography)
        throw QueryError("$filter", area.position, "expected a geography'...' literal");
    return *geography;
}

GeoBoundingBox boundingBox(const GeoArea& area) {
    if (const auto* box = std::get_if<GeoBoundingBox>(&area))
        return *box;
    const auto& ring = std::get<GeoPolygon>(area).ring;
    GeoBoundingBox box{ring.front(), ring.front()};
    for (const GeoPoint& point : ring) {
        box.southWest = {std::min(box.southWest.longitude, point.longitude),
                         std::min(box.southWest.latitude, point.latitude)};
        box.northEast = {std::max(box.northEast.longitude, point.longitude),
                         std::max(box.northEast.latitude, point.latitude)};
    }
    return box;
}

bool intersects(const GeoArea& area, const GeoPoint& point) {
    const GeoBoundingBox box = boundingBox(area);
    const bool inBox = point.longitude >= box.southWest.longitude &&
                       point.longitude <= box.northEast.longitude &&
                       point.latitude >= box.southWest.latitude && point.latitude <= box.northEast.latitude;
    if (!inBox || std::holds_alternative<GeoBoundingBox>(area))
        return inBox;
    // Even-odd rule: a ray to the east crosses the ring an odd number of times from inside.
    const auto& ring = std::get<GeoPolygon>(area).ring;
    bool inside = false;
    for (std::size_t at = 0, before = ring.size() - 1; at < ring.size(); before = at++) {
        const GeoPoint& a = ring[at];
        const GeoPoint& b = ring[before];
        if ((a.latitude > point.latitude) != (b.latitude > point.latitude)) {
            const double crossing = a.longitude + (point.latitude - a.latitude) *
                                                      (b.longitude - a.longitude) / (b.latitude - a.latitude);
            if (point.longitude < crossing)
                inside = !inside;
        }
    }
    return inside;
}

}  // namespace citysense::api
