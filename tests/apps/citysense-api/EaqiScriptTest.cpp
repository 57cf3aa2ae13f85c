// The map colours a live reading with its own copy of the index bands (web/eaqi.js): it must say what
// the service's airquality/Eaqi.cpp and Concentration.cpp say, on every band's edge and beside it.
#include "Programs.h"
#include "airquality/Concentration.h"
#include "airquality/Eaqi.h"

#include <gtest/gtest.h>

#include <sstream>

namespace citysense {
namespace {

using namespace test;

TEST(EaqiScript, AgreesWithTheServiceOnEveryBandEdgeAndTheGasFactors) {
    std::vector<std::string> command = {"node",
                                        CITYSENSE_SOURCE_DIR "/tests/apps/citysense-api/web/eaqi-bands.js",
                                        CITYSENSE_SOURCE_DIR "/apps/citysense-api/web/eaqi.js"};
    std::vector<std::pair<Quantity, double>> values;
    for (const Quantity quantity : {Quantity::NO2, Quantity::SO2}) {
        for (const double edge :
             {0.0, 10.0, 20.0, 25.0, 40.0, 60.0, 100.0, 125.0, 150.0, 190.0, 275.0, 1000.0})
            for (const double value : {edge - 0.01, edge, edge + 0.01})
                values.emplace_back(quantity, value);
    }
    values.emplace_back(Quantity::Temperature, 20.0);
    for (const auto& [quantity, value] : values) {
        std::ostringstream argument;
        argument << info(quantity).name << ':' << value;
        command.push_back(argument.str());
    }
    const CommandResult result = runProgram(command);
    ASSERT_EQ(result.status, 0) << result.output;
    std::istringstream lines(result.output);
    for (const auto& [quantity, value] : values) {
        std::string name, given, band;
        lines >> name >> given >> band;
        ASSERT_EQ(name, info(quantity).name);
        const auto expected = airquality::pollutantBand(quantity, value);
        if (!expected) {
            EXPECT_EQ(band, "none") << name << " " << given;
            continue;
        }
        std::string colour, bandName;
        lines >> colour;
        std::getline(lines >> std::ws, bandName);
        EXPECT_EQ(band, std::to_string(static_cast<int>(*expected))) << name << " " << given;
        EXPECT_EQ(colour, airquality::bandColour(*expected)) << name << " " << given;
        EXPECT_EQ(bandName, airquality::bandName(*expected)) << name << " " << given;
    }
    for (const Quantity quantity : {Quantity::NO2, Quantity::SO2}) {
        std::string word, name;
        double factor = 0;
        lines >> word >> name >> factor;
        EXPECT_EQ(word, "factor");
        EXPECT_EQ(name, info(quantity).name);
        EXPECT_EQ(factor, *airquality::microgramsPerCubicMetrePerPpb(quantity)) << name;
    }
}

}  // namespace
}  // namespace citysense
