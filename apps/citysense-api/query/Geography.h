// The areas a geo.intersects filter accepts, and their text: the literal geography'…' holds a WKT
// polygon (its outer ring) or a bounding box, in WGS 84 longitude/latitude.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace citysense::api {

/// A polygon's outer ring has at most this many points.
inline constexpr std::size_t kMaxPolygonPoints = 1000;

struct GeoPoint {
    double longitude;
    double latitude;
};

/// A closed ring: at least four points, the last equal to the first.
struct GeoPolygon {
    std::vector<GeoPoint> ring;
};

struct GeoBoundingBox {
    GeoPoint southWest;
    GeoPoint northEast;
};

using GeoArea = std::variant<GeoPolygon, GeoBoundingBox>;

/// Reads "POLYGON((lon lat, lon lat, …))" or "BBOX(west,south,east,north)", keywords in any case,
/// optionally after "SRID=4326;". Longitudes lie in [-180, 180], latitudes in [-90, 90], a box's
/// west ≤ east and south ≤ north. Throws QueryError(option, offset + the position in `text`).
GeoArea parseGeography(std::string_view text, const std::string& option, std::size_t offset);

}  // namespace citysense::api
