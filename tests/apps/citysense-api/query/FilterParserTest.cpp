// $filter text into trees, stated as fully parenthesised text (ExpressionText.h): every operator,
// precedence and associativity, literals, property paths and functions.
#include <query/ExpressionText.h>
#include <query/FilterParser.h>

#include <gtest/gtest.h>

namespace citysense::api {
namespace {

std::string tree(const std::string& filter) {
    return expressionText(*parseFilter(filter));
}

TEST(FilterParser, ReadsEveryComparison) {
    EXPECT_EQ(tree("result eq 5"), "(result eq 5)");
    EXPECT_EQ(tree("result ne 5"), "(result ne 5)");
    EXPECT_EQ(tree("result gt 5"), "(result gt 5)");
    EXPECT_EQ(tree("result ge 5"), "(result ge 5)");
    EXPECT_EQ(tree("result lt 5"), "(result lt 5)");
    EXPECT_EQ(tree("result le 5"), "(result le 5)");
}

TEST(FilterParser, ReadsLogicalOperators) {
    EXPECT_EQ(tree("a eq 1 and b eq 2"), "((a eq 1) and (b eq 2))");
    EXPECT_EQ(tree("a eq 1 or b eq 2"), "((a eq 1) or (b eq 2))");
    EXPECT_EQ(tree("not (a eq 1)"), "(not (a eq 1))");
    EXPECT_EQ(tree("not not true"), "(not (not true))");
}

TEST(FilterParser, ReadsArithmetic) {
    EXPECT_EQ(tree("result add 1 gt 5"), "((result add 1) gt 5)");
    EXPECT_EQ(tree("result sub 1 mul 2 div 3 mod 4 eq 0"), "((result sub (((1 mul 2) div 3) mod 4)) eq 0)");
    EXPECT_EQ(tree("-result lt -5.5"), "((-result) lt -5.5)");
    EXPECT_EQ(tree("result gt - 3"), "(result gt -3)");
}

TEST(FilterParser, NotBindsTighterThanAndWhichBindsTighterThanOr) {
    EXPECT_EQ(tree("a or b and c"), "(a or (b and c))");
    EXPECT_EQ(tree("a and b or c"), "((a and b) or c)");
    EXPECT_EQ(tree("not a and b"), "((not a) and b)");
    EXPECT_EQ(tree("not a or not b and c"), "((not a) or ((not b) and c))");
    EXPECT_EQ(tree("(a or b) and c"), "((a or b) and c)");
}

TEST(FilterParser, MultiplicationBindsTighterThanAdditionAndComparisonsBindLooserStill) {
    EXPECT_EQ(tree("1 add 2 mul 3 eq 7"), "((1 add (2 mul 3)) eq 7)");
    EXPECT_EQ(tree("(1 add 2) mul 3 eq 9"), "(((1 add 2) mul 3) eq 9)");
    EXPECT_EQ(tree("a lt 1 eq b gt 2"), "((a lt 1) eq (b gt 2))");
    EXPECT_EQ(tree("a eq 1 and b eq 2 or c eq 3"), "(((a eq 1) and (b eq 2)) or (c eq 3))");
}

TEST(FilterParser, BinaryOperatorsAssociateToTheLeft) {
    EXPECT_EQ(tree("10 sub 3 sub 2 eq 5"), "(((10 sub 3) sub 2) eq 5)");
    EXPECT_EQ(tree("8 div 4 div 2 eq 1"), "(((8 div 4) div 2) eq 1)");
}

TEST(FilterParser, ChainsOfOrAndOfAndAreOneNodeEach) {
    EXPECT_EQ(tree("a or b or c"), "(a or b or c)");
    EXPECT_EQ(tree("a and b and c or d and e"), "((a and b and c) or (d and e))");
    EXPECT_EQ(tree("(a or b) or c"), "((a or b) or c)");
    const auto filter = parseFilter("a or b or c");
    EXPECT_EQ(std::get<Logical>(filter->node).operands.size(), 3u);
}

TEST(FilterParser, ReadsLiterals) {
    EXPECT_EQ(tree("x eq null"), "(x eq null)");
    EXPECT_EQ(tree("x eq true or x eq false"), "((x eq true) or (x eq false))");
    EXPECT_EQ(tree("x eq 42"), "(x eq 42)");
    EXPECT_EQ(tree("x eq 4.25e2"), "(x eq 425)");
    EXPECT_EQ(tree("x eq 0.1"), "(x eq 0.1)");
    EXPECT_EQ(tree("x eq 99999999999999999999"), "(x eq 1e+20)");
    EXPECT_EQ(tree("x eq 'no2'"), "(x eq 'no2')");
    EXPECT_EQ(tree("x eq ''"), "(x eq '')");
}

TEST(FilterParser, KeepsIntegersAndDecimalsApart) {
    const auto filter = parseFilter("x eq 5 and y eq 5.0");
    const auto& conjunction = std::get<Logical>(filter->node);
    const auto& left = std::get<Binary>(conjunction.operands[0]->node);
    const auto& right = std::get<Binary>(conjunction.operands[1]->node);
    EXPECT_EQ(std::get<std::int64_t>(std::get<Literal>(left.right->node)), 5);
    EXPECT_EQ(std::get<double>(std::get<Literal>(right.right->node)), 5.0);
}

TEST(FilterParser, UnescapesDoubledQuotes) {
    const auto filter = parseFilter("name eq 'O''Brien''s street'");
    const auto& comparison = std::get<Binary>(filter->node);
    EXPECT_EQ(std::get<std::string>(std::get<Literal>(comparison.right->node)), "O'Brien's street");
}

TEST(FilterParser, KeepsSqlLookingTextAsOneLiteral) {
    const std::string sql = "x' OR 1=1; DROP TABLE readings; --";
    const auto filter = parseFilter("name eq 'x'' OR 1=1; DROP TABLE readings; --'");
    const auto& comparison = std::get<Binary>(filter->node);
    EXPECT_EQ(std::get<std::string>(std::get<Literal>(comparison.right->node)), sql);
    EXPECT_EQ(tree("name eq '\" or \"\"=\"'"), "(name eq '\" or \"\"=\"')");
}

TEST(FilterParser, ReadsDateTimesIntoUtcMicroseconds) {
    EXPECT_EQ(tree("phenomenonTime ge 2025-11-24T16:00:00.123Z"),
              "(phenomenonTime ge datetime(1764000000123000))");
    EXPECT_EQ(tree("phenomenonTime lt 2025-11-24T17:00:00+01:00"),
              "(phenomenonTime lt datetime(1764000000000000))");
    EXPECT_EQ(tree("resultTime gt 2025-11-24T11:00:00-05:00 and result gt 1"),
              "((resultTime gt datetime(1764000000000000)) and (result gt 1))");
}

TEST(FilterParser, ReadsNavigationPaths) {
    EXPECT_EQ(tree("Datastream/ObservedProperty/name eq 'no2'"),
              "(Datastream/ObservedProperty/name eq 'no2')");
    EXPECT_EQ(tree("properties/street eq 'street_01'"), "(properties/street eq 'street_01')");
    EXPECT_EQ(tree("@iot.id eq 3"), "(@iot.id eq 3)");
    EXPECT_EQ(tree("Thing/@iot.id eq 3"), "(Thing/@iot.id eq 3)");
    const auto filter = parseFilter("Datastream/ObservedProperty/name eq 'no2'");
    const auto& path = std::get<PropertyPath>(std::get<Binary>(filter->node).left->node);
    EXPECT_EQ(path.segments, (std::vector<std::string>{"Datastream", "ObservedProperty", "name"}));
}

TEST(FilterParser, ReadsGeoIntersectsWithAPolygonOrABox) {
    EXPECT_EQ(
        tree("geo.intersects(location, geography'POLYGON((13.3 52.5, 13.5 52.5, 13.5 52.6, 13.3 52.5))')"),
        "geo.intersects(location, polygon(13.3 52.5, 13.5 52.5, 13.5 52.6, 13.3 52.5))");
    EXPECT_EQ(
        tree(
            "geo.intersects(Thing/Locations/location,geography'BBOX(13.3,52.4,13.6,52.6)') and result gt 40"),
        "(geo.intersects(Thing/Locations/location, bbox(13.3,52.4,13.6,52.6)) and (result gt 40))");
}

TEST(FilterParser, ReadsStringFunctions) {
    EXPECT_EQ(tree("substringof('no', name)"), "substringof('no', name)");
    EXPECT_EQ(tree("startswith(name, 'street') and endswith(name,'_01')"),
              "(startswith(name, 'street') and endswith(name, '_01'))");
    EXPECT_EQ(tree("contains(description, 'NO2')"), "contains(description, 'NO2')");
    EXPECT_EQ(tree("tolower(name) eq 'no2' or toupper(name) eq 'NO2'"),
              "((tolower(name) eq 'no2') or (toupper(name) eq 'NO2'))");
    EXPECT_EQ(tree("length(name) gt 3"), "(length(name) gt 3)");
    EXPECT_EQ(tree("not startswith(tolower(name), 'x')"), "(not startswith(tolower(name), 'x'))");
}

TEST(FilterParser, RecordsPositions) {
    const auto filter = parseFilter("result gt 5 and name eq 'a'");
    EXPECT_EQ(filter->position, 12u);
    const auto& conjunction = std::get<Logical>(filter->node);
    EXPECT_EQ(conjunction.operands[0]->position, 7u);
    EXPECT_EQ(std::get<Binary>(conjunction.operands[0]->node).left->position, 0u);
    EXPECT_EQ(std::get<Binary>(conjunction.operands[1]->node).right->position, 24u);
}

}  // namespace
}  // namespace citysense::api
