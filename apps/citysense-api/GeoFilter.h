// The $filter of Locations: geo.intersects(location, geography'POLYGON((...))' or 'BBOX(...)'). The
// store narrows the stations to the area's bounding box in SQL (bound values on latitude and
// longitude); whether a position lies in a polygon is decided here, exactly, on what it returns.
#pragma once

#include "query/Expression.h"

namespace citysense::api {

/// The area of a Locations filter; throws QueryError("$filter", position, ...) for any other filter.
GeoArea locationArea(const Expression& filter);

/// The smallest box around `area`.
GeoBoundingBox boundingBox(const GeoArea& area);

/// Whether `point` lies in `area` (inside a polygon's ring by the even-odd rule, or in the box).
bool intersects(const GeoArea& area, const GeoPoint& point);

}  // namespace citysense::api
