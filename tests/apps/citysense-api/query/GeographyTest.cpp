// The areas of geo.intersects: WKT polygons (outer ring) and bounding boxes, and what is refused.
#include <query/Geography.h>
#include <query/QueryError.h>

#include <gtest/gtest.h>

namespace citysense::api {
namespace {

TEST(Geography, ReadsAPolygonsRing) {
    const GeoArea area =
        parseGeography("POLYGON((13.3 52.5, 13.5 52.5, 13.5 52.6, 13.3 52.5))", "$filter", 0);
    const auto& ring = std::get<GeoPolygon>(area).ring;
    ASSERT_EQ(ring.size(), 4u);
    EXPECT_DOUBLE_EQ(ring[1].longitude, 13.5);
    EXPECT_DOUBLE_EQ(ring[2].latitude, 52.6);
}

TEST(Geography, ToleratesSpacesCaseAndTheWgs84Srid) {
    const GeoArea area = parseGeography("SRID=4326;polygon ( ( 0 0,1 0 , 1 1,0 0 ) )", "$filter", 0);
    EXPECT_EQ(std::get<GeoPolygon>(area).ring.size(), 4u);
}

TEST(Geography, ReadsABoundingBoxWestSouthEastNorth) {
    const GeoArea area = parseGeography("BBOX(13.3,52.4,13.6,52.6)", "$filter", 0);
    const auto& box = std::get<GeoBoundingBox>(area);
    EXPECT_DOUBLE_EQ(box.southWest.longitude, 13.3);
    EXPECT_DOUBLE_EQ(box.southWest.latitude, 52.4);
    EXPECT_DOUBLE_EQ(box.northEast.longitude, 13.6);
    EXPECT_DOUBLE_EQ(box.northEast.latitude, 52.6);
}

void expectError(const std::string& text, std::size_t position, const std::string& message) {
    try {
        parseGeography(text, "$filter", 100);
        ADD_FAILURE() << text << " was accepted";
    } catch (const QueryError& error) {
        EXPECT_EQ(error.position(), 100 + position) << text;
        EXPECT_EQ(error.message(), message) << text;
    }
}

TEST(Geography, RefusesMalformedAreas) {
    expectError("POINT(1 2)", 0, "geography: expected POLYGON((…)) or BBOX(west,south,east,north)");
    expectError("SRID=3857;POLYGON((0 0,1 0,1 1,0 0))", 5, "geography: only SRID=4326 (WGS 84) is supported");
    expectError("POLYGON((0 0,1 0,0 0))", 9,
                "geography: a polygon's ring needs at least four points, the last equal to the first");
    expectError("POLYGON((0 0,1 0,1 1,0 1))", 9,
                "geography: a polygon's ring needs at least four points, the last equal to the first");
    expectError("POLYGON((0 0,1 0,1 1,0 0),(0 0,1 0,1 1,0 0))", 25,
                "geography: only a polygon's outer ring is supported");
    expectError("POLYGON((0 0,1 x,1 1,0 0))", 15, "geography: expected a number");
    expectError("POLYGON((0,0,1 0,1 1,0 0))", 10,
                "geography: expected a space between longitude and latitude");
    expectError("POLYGON((0 0,181 0,1 1,0 0))", 13,
                "geography: longitude must lie in [-180, 180] and latitude in [-90, 90]");
    expectError("POLYGON((0 0,1 0,1 1,0 0)", 25, "geography: expected ')'");
    expectError("POLYGON((0 0,1 0,1 1,0 0)) x", 27, "geography: unexpected text after the area");
    expectError("BBOX(2,0,1,1)", 5,
                "geography: a box is west,south,east,north with west <= east and south <= north");
    expectError("BBOX(0 0,1 1)", 7, "geography: expected ','");
    expectError("POLYGON((nan 0,1 0,1 1,0 0))", 9, "geography: expected a number");
}

TEST(Geography, RefusesARingAboveTheLimit) {
    std::string ring;
    for (std::size_t i = 0; i <= kMaxPolygonPoints; ++i)
        ring += "0 0,";
    ring += "0 0";
    expectError("POLYGON((" + ring + "))", 9 + 4 * kMaxPolygonPoints,
                "geography: a polygon has at most 1000 points");
}

}  // namespace
}  // namespace citysense::api
