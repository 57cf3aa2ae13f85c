// $expand: navigation properties with their own options, one level only, and errors located in the
// $expand value naming the nested option.
#include <query/ExpressionText.h>
#include <query/QueryError.h>
#include <query/QueryOptions.h>

#include <gtest/gtest.h>

namespace citysense::api {
namespace {

TEST(Expand, ReadsPropertiesWithAndWithoutOptions) {
    const QueryOptions options = parseQueryOptions(
        "$expand=Datastreams($select=name,unitOfMeasurement;$top=5;$filter=name+eq+'a;b)'),Locations");
    ASSERT_EQ(options.expand.size(), 2u);
    const Expand& datastreams = options.expand[0];
    EXPECT_EQ(datastreams.property, "Datastreams");
    EXPECT_EQ(datastreams.options.select.size(), 2u);
    EXPECT_EQ(datastreams.options.top, 5);
    ASSERT_NE(datastreams.options.filter, nullptr);
    EXPECT_EQ(expressionText(*datastreams.options.filter), "(name eq 'a;b)')");
    EXPECT_EQ(options.expand[1].property, "Locations");
    EXPECT_EQ(options.expand[1].options.top, 100);
    EXPECT_EQ(options.expand[1].options.filter, nullptr);
    // As written, for a link that repeats them.
    ASSERT_EQ(datastreams.parameters.size(), 3u);
    EXPECT_EQ(datastreams.parameters[0].name, "$select");
    EXPECT_EQ(datastreams.parameters[0].value, "name,unitOfMeasurement");
    EXPECT_EQ(datastreams.parameters[2].name, "$filter");
    EXPECT_EQ(datastreams.parameters[2].value, "name eq 'a;b)'");
    EXPECT_TRUE(options.expand[1].parameters.empty());
}

TEST(Expand, NestedFiltersKeepTheirParentheses) {
    const QueryOptions options = parseQueryOptions(
        "$expand=Observations($filter=(result+gt+1+or+result+lt+0)+and+startswith(name,'x');$orderby="
        "phenomenonTime+"
        "desc;$skip=2;$count=true)");
    const CollectionOptions& nested = options.expand.at(0).options;
    EXPECT_EQ(expressionText(*nested.filter), "(((result gt 1) or (result lt 0)) and startswith(name, 'x'))");
    EXPECT_TRUE(nested.orderBy.at(0).descending);
    EXPECT_EQ(nested.skip, 2);
    EXPECT_TRUE(nested.count);
}

TEST(Expand, AllowsEmptyOptionsAndSpaces) {
    const QueryOptions options = parseQueryOptions("$expand=+Datastreams()+,+Thing(+$top=2+;+$skip=1)+");
    ASSERT_EQ(options.expand.size(), 2u);
    EXPECT_EQ(options.expand[1].property, "Thing");
    EXPECT_EQ(options.expand[1].options.top, 2);
    EXPECT_EQ(options.expand[1].options.skip, 1);
}

void expectRefused(const char* query, const char* what) {
    try {
        parseQueryOptions(query);
        ADD_FAILURE() << query << " was accepted";
    } catch (const QueryError& error) {
        EXPECT_STREQ(error.what(), what) << query;
    }
}

TEST(Expand, OnlyOneLevel) {
    expectRefused("$expand=Datastreams($expand=Observations)",
                  "$expand at 12: only one level of $expand ($expand of Datastreams)");
    expectRefused("$expand=Datastreams/ObservedProperty", "$expand at 11: only one level of $expand");
}

TEST(Expand, ErrorsInsideNameTheNestedOptionAndSitInTheExpandValue) {
    expectRefused("$expand=Datastreams($top=-1)",
                  "$expand at 17: in $top of Datastreams: expected a whole number");
    expectRefused("$expand=Datastreams($select=name;$filter=result+gt)",
                  "$expand at 42: in $filter of Datastreams: expected a value after 'result gt'");
    expectRefused("$expand=Datastreams($top=1;$top=2)",
                  "$expand at 19: option given more than once ($top of Datastreams)");
    expectRefused("$expand=Datastreams($resultFormat=csv)",
                  "$expand at 12: not allowed inside $expand ($resultFormat of Datastreams)");
    expectRefused("$expand=Datastreams($skiptoken=5)",
                  "$expand at 12: not allowed inside $expand ($skiptoken of Datastreams)");
    expectRefused(
        "$expand=Datastreams($foo=1)",
        "$expand at 12: unsupported option; the options are $filter, $select, $orderby, $top, $skip, "
        "$count, $resultFormat, $skiptoken, $expand ($foo of Datastreams)");
    expectRefused(
        "$expand=Datastreams(top=1)",
        "$expand at 12: not an option; inside $expand the options begin with '$' (top of Datastreams)");
    expectRefused("$expand=Datastreams($top)",
                  "$expand at 12: expected $option=value inside the options of Datastreams");
}

TEST(Expand, RefusesMalformedLists) {
    expectRefused("$expand=", "$expand at 0: expected a navigation property");
    expectRefused("$expand=Datastreams,", "$expand at 12: expected a navigation property");
    expectRefused("$expand=Datastreams($top=5",
                  "$expand at 11: expected ')' closing the options of Datastreams");
    expectRefused("$expand=Datastreams($filter=name+eq+'a)",
                  "$expand at 11: expected ')' closing the options of Datastreams");
    expectRefused("$expand=Datastreams+Thing", "$expand at 12: expected ',' or the end after Datastreams");
    expectRefused("$expand=Thing,Thing", "$expand at 6: Thing expanded more than once");
}

}  // namespace
}  // namespace citysense::api
