// The resource paths of the SensorThings API: entity sets, ids, navigation, and what is refused (400
// for a malformed path, 404 for a name the model does not have); the ids of Observations.
#include <ResourcePath.h>

#include <gtest/gtest.h>

namespace citysense::api {
namespace {

TEST(ResourcePath, ReadsASetAnIdAndNavigations) {
    const ResourcePath things = parseResourcePath("Things");
    EXPECT_EQ(things.set, EntityType::Thing);
    EXPECT_FALSE(things.id);
    EXPECT_FALSE(things.single());

    const ResourcePath thing = parseResourcePath("Things(12)");
    EXPECT_EQ(std::get<std::int64_t>(*thing.id), 12);
    EXPECT_TRUE(thing.single());

    const ResourcePath path = parseResourcePath("Datastreams(3)/Thing/Locations");
    EXPECT_EQ(path.navigations, (std::vector<std::string>{"Thing", "Locations"}));
    EXPECT_EQ(path.target(), EntityType::Location);
    EXPECT_FALSE(path.single());
    EXPECT_TRUE(parseResourcePath("Datastreams(3)/Sensor").single());

    const ResourcePath observation = parseResourcePath("Observations('3-1764000000123456')");
    EXPECT_EQ(std::get<ObservationKey>(*observation.id), (ObservationKey{3, 1764000000123456}));
}

TEST(ResourcePath, MalformedPathsAndIdsAreRefused) {
    for (const char* path :
         {"", "Things(", "Things()", "Things(1", "Things(1)x", "Things(-1)", "Things(1.5)",
          "Things(9999999999999999999)", "Things('1')", "Observations(1)", "Observations('1')",
          "Observations('-1-2')", "Observations('1-2x')", "Things/Datastreams", "Things(1)/Datastreams(2)",
          "Things(1)//Datastreams", "Things(1)/", "Th1ngs"})
        EXPECT_THROW(parseResourcePath(path), MalformedPath) << path;
    EXPECT_THROW(parseResourcePath("Things(1)" + std::string(2000, 'x')), MalformedPath);
    EXPECT_THROW(
        parseResourcePath("Datastreams(1)/Thing/Datastreams(1)/Thing/Datastreams(1)/Thing/Datastreams(1)/"
                          "Thing/Datastreams"),
        MalformedPath);
}

TEST(ResourcePath, NamesTheModelDoesNotHaveAreUnknown) {
    EXPECT_THROW(parseResourcePath("Stations"), UnknownPath);
    EXPECT_THROW(parseResourcePath("Things(1)/Observations"), UnknownPath);
    EXPECT_THROW(parseResourcePath("Datastreams(1)/HistoricalLocations"), UnknownPath);
}

TEST(ObservationId, RoundTripsAndRefusesWhatItDidNotWrite) {
    // Times from the first µs of year 1000 to the last of year 9999, as the store holds them.
    EXPECT_TRUE(parseObservationId("1--30610224000000000"));
    EXPECT_TRUE(parseObservationId("1-253402300799999999"));
    const ObservationKey key{42, -1000};
    EXPECT_EQ(observationId(key), "42--1000");
    EXPECT_EQ(parseObservationId("42--1000"), key);
    for (const char* text : {"", "-", "42", "42-", "-42-1", "4 2-1", "42-1-", "42-x",
                             "42-99999999999999999999", "42-253402300800000000", "42--30610224000000001"})
        EXPECT_FALSE(parseObservationId(text)) << text;
}

}  // namespace
}  // namespace citysense::api
