#include "PluginHarness.h"

#include <citysense/TopicTemplate.h>

#include <gtest/gtest.h>

namespace citysense {
namespace {

using test::errorOf;
using test::testStation;

const TopicTemplate& defaultTree() {
    static const TopicTemplate tree(TopicTemplate::kDefault);
    return tree;
}

// What does not match, or "(matches)".
std::string whyNot(const TopicTemplate& topics, std::string_view topic) {
    std::string why;
    return topics.match(topic, why) ? "(matches)" : why;
}

TEST(TopicTemplate, DefaultRendersThePrototypesTree) {
    EXPECT_EQ(defaultTree().text(), "{system}/{city}/{street}/{category}/{measurement}");
    EXPECT_EQ(defaultTree().render(testStation(), Quantity::Temperature),
              "hypo_city/city_01/street_01/temperature/celcius");
    EXPECT_EQ(defaultTree().render(testStation(), Quantity::TemperatureF),
              "hypo_city/city_01/street_01/temperature/fahrenheit");
    EXPECT_EQ(defaultTree().render(testStation(), Quantity::NO2),
              "hypo_city/city_01/street_01/air_pollution/no2_level");
    EXPECT_EQ(defaultTree().render(testStation(), Quantity::TrafficSpeed),
              "hypo_city/city_01/street_01/traffic/traffic_speed");
}

TEST(TopicTemplate, FiltersCoverEveryRenderedTopic) {
    EXPECT_EQ(defaultTree().filter(), "+/+/+/+/+");
    EXPECT_EQ(defaultTree().filter("hypo_city"), "hypo_city/+/+/+/+");
    EXPECT_EQ(TopicTemplate("city/{city}/{street}/{quantity}").filter("hypo_city"), "city/+/+/+");
    EXPECT_EQ(TopicTemplate("{system}/sensors/{street}/{quantity}/v1").filter(), "+/sensors/+/+/v1");
}

TEST(TopicTemplate, MatchesEveryQuantityItRenders) {
    for (const auto& row : quantities()) {
        const std::string topic = defaultTree().render(testStation(), row.quantity);
        std::string why;
        const auto match = defaultTree().match(topic, why);
        ASSERT_TRUE(match) << topic << ": " << why;
        EXPECT_EQ(match->station.system, "hypo_city");
        EXPECT_EQ(match->station.city, "city_01");
        EXPECT_EQ(match->station.street, "street_01");
        // wind_speed in km/h shares its place with m/s: the first row wins, the payload's unit decides.
        EXPECT_EQ(match->quantity,
                  row.quantity == Quantity::WindSpeedKmh ? Quantity::WindSpeed : row.quantity);
    }
}

TEST(TopicTemplate, CategoryAndMeasurementTellTemperaturesApart) {
    std::string why;
    EXPECT_EQ(defaultTree().match("hypo_city/city_02/street_07/temperature/celcius", why)->quantity,
              Quantity::Temperature);
    EXPECT_EQ(defaultTree().match("hypo_city/city_02/street_07/temperature/fahrenheit", why)->quantity,
              Quantity::TemperatureF);
    EXPECT_EQ(defaultTree().match("hypo_city/city_02/street_07/temperature/fahrenheit", why)->station.city,
              "city_02");
}

TEST(TopicTemplate, MismatchesSayWhichLevel) {
    EXPECT_EQ(whyNot(defaultTree(), "hypo_city/city_01/street_01"), "3 levels, the template has 5");
    EXPECT_EQ(whyNot(defaultTree(), "a/b/c/temperature/celcius/x"), "6 levels, the template has 5");
    EXPECT_EQ(whyNot(defaultTree(), ""), "1 level, the template has 5");
    EXPECT_EQ(
        whyNot(defaultTree(), "a/b/c/temp/celcius"),
        "level 4 \"temp\" is not a category (known: temperature, air_condition, air_pollution, traffic)");
    EXPECT_EQ(whyNot(defaultTree(), "a/b/c/temperature/kelvin"),
              "level 5 \"kelvin\" is not a measurement of temperature (known: celcius, fahrenheit)");
    EXPECT_EQ(whyNot(defaultTree(), "a/b/c/traffic/celcius"),
              "level 5 \"celcius\" is not a measurement of traffic (known: traffic_speed)");
    EXPECT_EQ(whyNot(defaultTree(), "a//c/temperature/celcius"), "level 2 is empty");
    EXPECT_EQ(whyNot(defaultTree(), "a/b/c/temperature/"), "level 5 is empty");
    EXPECT_EQ(whyNot(defaultTree(), "a/b/c/temperature/celcius"), "(matches)");
}

TEST(TopicTemplate, CustomTemplatesLeaveAbsentStationLevelsEmpty) {
    const TopicTemplate topics("city/{city}/{street}/{quantity}");
    EXPECT_EQ(topics.render(testStation(), Quantity::WindGust), "city/city_01/street_01/wind_gust");
    std::string why;
    const auto match = topics.match("city/oslo/storgata/humidity", why);
    ASSERT_TRUE(match) << why;
    EXPECT_EQ(match->station.system, "");
    EXPECT_EQ(match->station.city, "oslo");
    EXPECT_EQ(match->station.street, "storgata");
    EXPECT_EQ(match->quantity, Quantity::Humidity);

    EXPECT_EQ(whyNot(topics, "town/oslo/storgata/humidity"), "level 1 \"town\" is not \"city\"");
    EXPECT_EQ(whyNot(topics, "city/oslo/storgata/ozone"),
              "level 4 \"ozone\" is not a quantity (known: " + quantityNames() + ")");
    EXPECT_EQ(whyNot(topics, "city/oslo/storgata/wind_speed_kmh"), "(matches)");
}

TEST(TopicTemplate, QuantityWithCategoryMustAgree) {
    const TopicTemplate topics("{street}/{category}/{quantity}");
    EXPECT_EQ(topics.render(testStation(), Quantity::SO2), "street_01/air_pollution/so2");
    std::string why;
    EXPECT_EQ(topics.match("main_st/air_condition/wind_speed_kmh", why)->quantity, Quantity::WindSpeedKmh);
    EXPECT_EQ(whyNot(topics, "main_st/traffic/so2"),
              "level 2 \"traffic\" is not the category of so2 (air_pollution)");
    EXPECT_EQ(
        whyNot(topics, "main_st/weather/so2"),
        "level 2 \"weather\" is not a category (known: temperature, air_condition, air_pollution, traffic)");
}

TEST(TopicTemplate, InvalidTemplatesAreRefusedNamingTheProblem) {
    const auto error = [](const std::string& text) { return errorOf([&] { TopicTemplate topics(text); }); };
    EXPECT_EQ(error(""), "topic template \"\": is empty");
    EXPECT_EQ(error("{system}/{city}/{street}/{kind}/{measurement}"),
              "topic template \"{system}/{city}/{street}/{kind}/{measurement}\": unknown placeholder {kind} "
              "(known: {system}, {city}, {street}, {category}, {measurement}, {quantity})");
    EXPECT_EQ(error("{system}/{city}-{street}/{quantity}"),
              "topic template \"{system}/{city}-{street}/{quantity}\": level 2 \"{city}-{street}\" mixes a "
              "placeholder with other text (a placeholder is a whole level)");
    EXPECT_EQ(
        error("{system}/{city/{quantity}"),
        "topic template \"{system}/{city/{quantity}\": level 2 \"{city\" mixes a placeholder with other "
        "text (a placeholder is a whole level)");
    EXPECT_EQ(error("{system}//{quantity}"), "topic template \"{system}//{quantity}\": level 2 is empty");
    EXPECT_EQ(error("/{system}/{quantity}"), "topic template \"/{system}/{quantity}\": level 1 is empty");
    EXPECT_EQ(error("{system}/{quantity}/"), "topic template \"{system}/{quantity}/\": level 3 is empty");
    EXPECT_EQ(error("{system}/+/{quantity}"),
              "topic template \"{system}/+/{quantity}\": level 2 \"+\" has an MQTT wildcard (+ or #)");
    EXPECT_EQ(error("{system}/{quantity}/#"),
              "topic template \"{system}/{quantity}/#\": level 3 \"#\" has an MQTT wildcard (+ or #)");
    EXPECT_EQ(
        error("$SYS/{quantity}"),
        "topic template \"$SYS/{quantity}\": starts with '$', which MQTT keeps for the broker's own topics");
    EXPECT_EQ(error("{system}/{city}/{street}/{category}"),
              "topic template \"{system}/{city}/{street}/{category}\": does not name the quantity: it needs "
              "{quantity}, or {category} and {measurement}");
    EXPECT_EQ(error("{system}/{city}/{city}/{quantity}"),
              "topic template \"{system}/{city}/{city}/{quantity}\": {city} appears more than once");
    EXPECT_EQ(error("{quantity}/{quantity}"),
              "topic template \"{quantity}/{quantity}\": {quantity} appears more "
              "than once");
    EXPECT_EQ(error(std::string("a\0b/{quantity}", 14)),
              "topic template \"a\\x00b/{quantity}\": level 1 has a NUL character");
}

}  // namespace
}  // namespace citysense
