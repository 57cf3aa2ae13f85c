// The European Air Quality Index at its band edges, a station's worst pollutant, incomplete hours, and
// the ppb to µg/m³ factors at 293.15 K it is computed after.
#include "Concentration.h"
#include "Eaqi.h"

#include <gtest/gtest.h>

namespace citysense::airquality {
namespace {

TEST(Eaqi, No2BandsAtTheirEdges) {
    const std::pair<double, Band> cases[] = {{-2, Band::Good},
                                             {10, Band::Good},
                                             {10.01, Band::Fair},
                                             {25, Band::Fair},
                                             {25.01, Band::Moderate},
                                             {60, Band::Moderate},
                                             {60.01, Band::Poor},
                                             {100, Band::Poor},
                                             {100.01, Band::VeryPoor},
                                             {150, Band::VeryPoor},
                                             {150.01, Band::ExtremelyPoor},
                                             {900, Band::ExtremelyPoor}};
    for (const auto& [value, band] : cases)
        EXPECT_EQ(pollutantBand(Quantity::NO2, value), band) << value;
}

TEST(Eaqi, So2BandsAtTheirEdges) {
    const std::pair<double, Band> cases[] = {
        {20, Band::Good},      {20.01, Band::Fair},          {40, Band::Fair},  {40.01, Band::Moderate},
        {125, Band::Moderate}, {125.01, Band::Poor},         {190, Band::Poor}, {190.01, Band::VeryPoor},
        {275, Band::VeryPoor}, {275.01, Band::ExtremelyPoor}};
    for (const auto& [value, band] : cases)
        EXPECT_EQ(pollutantBand(Quantity::SO2, value), band) << value;
}

TEST(Eaqi, OnlyIndexPollutantsHaveBands) {
    EXPECT_FALSE(pollutantBand(Quantity::Temperature, 20).has_value());
    EXPECT_STREQ(bandName(Band::VeryPoor), "Very poor");
    EXPECT_STREQ(bandColour(Band::Good), "#50F0E6");
}

PollutantHour hourOf(Quantity quantity, double mean, bool valid = true) {
    Aggregate hour;
    hour.valid = valid;
    hour.mean = mean;
    return {quantity, hour};
}

TEST(Eaqi, TheStationsIndexIsItsWorstPollutant) {
    const StationIndex index = stationIndex(
        {hourOf(Quantity::NO2, 30), hourOf(Quantity::SO2, 130), hourOf(Quantity::Temperature, 900)});
    EXPECT_EQ(index.band, Band::Poor);
    EXPECT_EQ(index.pollutant, Quantity::SO2);
    EXPECT_FALSE(index.incomplete);
}

TEST(Eaqi, AnInvalidHourMakesTheIndexIncompleteAndDoesNotSetIt) {
    const StationIndex index = stationIndex({hourOf(Quantity::NO2, 30), hourOf(Quantity::SO2, 300, false)});
    EXPECT_EQ(index.band, Band::Moderate);
    EXPECT_EQ(index.pollutant, Quantity::NO2);
    EXPECT_TRUE(index.incomplete);

    const StationIndex none = stationIndex({hourOf(Quantity::NO2, 30, false)});
    EXPECT_FALSE(none.band.has_value());
    EXPECT_TRUE(none.incomplete);
}

TEST(Concentration, PpbBecomeMicrogramsPerCubicMetreAt20DegreesCelsius) {
    EXPECT_DOUBLE_EQ(*microgramsPerCubicMetrePerPpb(Quantity::NO2), 1.9125);
    EXPECT_DOUBLE_EQ(*microgramsPerCubicMetrePerPpb(Quantity::SO2), 2.6633);
    EXPECT_FALSE(microgramsPerCubicMetrePerPpb(Quantity::Humidity).has_value());
    // 100 ppb NO2 is 191.25 µg/m³: Extremely poor, not the Very poor 188 µg/m³ of the 25 °C factor.
    EXPECT_EQ(pollutantBand(Quantity::NO2, 100 * *microgramsPerCubicMetrePerPpb(Quantity::NO2)),
              Band::ExtremelyPoor);
}

}  // namespace
}  // namespace citysense::airquality
