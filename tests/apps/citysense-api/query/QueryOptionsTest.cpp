// The query options of a request: each option's values and defaults, the parameters handed back to
// the resource, and every refusal (unknown, repeated, out of range) naming its option.
#include <query/ExpressionText.h>
#include <query/QueryError.h>
#include <query/QueryOptions.h>

#include <gtest/gtest.h>

namespace citysense::api {
namespace {

std::string pathText(const PropertyPath& path) {
    std::string text;
    for (const std::string& segment : path.segments)
        text += (text.empty() ? "" : "/") + segment;
    return text;
}

TEST(QueryOptions, DefaultsWithoutOptions) {
    const QueryOptions options = parseQueryOptions("");
    EXPECT_EQ(options.filter, nullptr);
    EXPECT_TRUE(options.select.empty());
    EXPECT_TRUE(options.orderBy.empty());
    EXPECT_EQ(options.top, 100);
    EXPECT_EQ(options.skip, 0);
    EXPECT_FALSE(options.count);
    EXPECT_EQ(options.resultFormat, ResultFormat::Default);
    EXPECT_TRUE(options.expand.empty());
    EXPECT_TRUE(options.parameters.empty());
    EXPECT_FALSE(options.skipToken);
}

TEST(QueryOptions, ReadsEveryOption) {
    const QueryOptions options = parseQueryOptions(
        "$filter=result+gt+40&$select=@iot.id,+result,phenomenonTime&$orderby=phenomenonTime+desc,@iot.id+"
        "asc,"
        "result&$top=1000&$skip=20&$count=true&$resultFormat=dataArray&$expand=Datastream");
    ASSERT_NE(options.filter, nullptr);
    EXPECT_EQ(expressionText(*options.filter), "(result gt 40)");
    ASSERT_EQ(options.select.size(), 3u);
    EXPECT_EQ(pathText(options.select[0]), "@iot.id");
    EXPECT_EQ(pathText(options.select[2]), "phenomenonTime");
    ASSERT_EQ(options.orderBy.size(), 3u);
    EXPECT_EQ(pathText(options.orderBy[0].path), "phenomenonTime");
    EXPECT_TRUE(options.orderBy[0].descending);
    EXPECT_FALSE(options.orderBy[1].descending);
    EXPECT_FALSE(options.orderBy[2].descending);
    EXPECT_EQ(options.top, 1000);
    EXPECT_EQ(options.skip, 20);
    EXPECT_TRUE(options.count);
    EXPECT_EQ(options.resultFormat, ResultFormat::DataArray);
    ASSERT_EQ(options.expand.size(), 1u);
    EXPECT_EQ(options.expand[0].property, "Datastream");
}

TEST(QueryOptions, ReadsTheRemainingValues) {
    EXPECT_EQ(parseQueryOptions("$resultFormat=csv").resultFormat, ResultFormat::Csv);
    EXPECT_FALSE(parseQueryOptions("$count=false").count);
    EXPECT_EQ(parseQueryOptions("$top=0").top, 0);
    EXPECT_EQ(parseQueryOptions("$top=10000").top, 10000);
    EXPECT_EQ(parseQueryOptions("$skip=9223372036854775807").skip, 9223372036854775807);
    EXPECT_EQ(pathText(parseQueryOptions("$select=properties/street").select.at(0)), "properties/street");
    EXPECT_EQ(parseQueryOptions("$top=100&$skiptoken=1764000000000000-42").skipToken, "1764000000000000-42");
}

TEST(QueryOptions, HandsParametersWithoutDollarBackInOrder) {
    const QueryOptions options = parseQueryOptions("interval=1h&$top=5&from=2025-01-01T00%3A00%3A00Z");
    ASSERT_EQ(options.parameters.size(), 2u);
    EXPECT_EQ(options.parameters[0].name, "interval");
    EXPECT_EQ(options.parameters[0].value, "1h");
    EXPECT_EQ(options.parameters[1].name, "from");
    EXPECT_EQ(options.parameters[1].value, "2025-01-01T00:00:00Z");
    EXPECT_EQ(options.top, 5);
}

struct Case {
    const char* query;
    const char* what;
};

void expectRefused(const Case& c) {
    try {
        parseQueryOptions(c.query);
        ADD_FAILURE() << c.query << " was accepted";
    } catch (const QueryError& error) {
        EXPECT_STREQ(error.what(), c.what) << c.query;
    }
}

TEST(QueryOptions, RefusesUnknownOptionsSayingWhichExist) {
    expectRefused(
        {"$top=5&$format=json",
         "$format at 0: unsupported option; the options are $filter, $select, $orderby, $top, $skip, "
         "$count, $resultFormat, $skiptoken, $expand"});
    expectRefused({"$Top=5",
                   "$Top at 0: unsupported option; the options are $filter, $select, $orderby, $top, "
                   "$skip, $count, $resultFormat, $skiptoken, $expand"});
}

TEST(QueryOptions, RefusesRepeatedOptionsAndParameters) {
    expectRefused({"$top=5&$top=6", "$top at 0: option given more than once"});
    expectRefused({"$filter=a+eq+1&$filter=b+eq+2", "$filter at 0: option given more than once"});
    expectRefused({"from=1&from=2", "from at 0: parameter given more than once"});
}

TEST(QueryOptions, CapsTopAtAPageOf10000) {
    EXPECT_EQ(parseQueryOptions("$top=10001").top, 10000);
    EXPECT_EQ(parseQueryOptions("$top=99999999999999999999999").top, 10000);
    EXPECT_EQ(parseQueryOptions("$expand=Datastreams($top=20000)").expand.at(0).options.top, 10000);
}

TEST(QueryOptions, RefusesNumbersThatAreNot) {
    expectRefused({"$top=-1", "$top at 0: expected a whole number"});
    expectRefused({"$top=5.0", "$top at 1: expected a whole number"});
    expectRefused({"$top=", "$top at 0: expected a whole number"});
    expectRefused({"$top=+5", "$top at 0: expected a whole number"});  // '+' decodes to a space
    expectRefused({"$skip=x", "$skip at 0: expected a whole number"});
    expectRefused({"$skip=9223372036854775808", "$skip at 0: at most 9223372036854775807"});
}

TEST(QueryOptions, RefusesOtherValues) {
    expectRefused({"$skiptoken=", "$skiptoken at 0: expected the token of an @iot.nextLink"});
    expectRefused({"$count=yes", "$count at 0: expected true or false"});
    expectRefused({"$count", "$count at 0: expected true or false"});
    expectRefused({"$resultFormat=GeoJSON", "$resultFormat at 0: expected dataArray or csv"});
    expectRefused({"$select=", "$select at 0: expected a property name, found the end"});
    expectRefused({"$select=name,,id", "$select at 5: expected a property name, found ','"});
    expectRefused({"$select=name+id", "$select at 5: expected ',' or the end after 'name'"});
    expectRefused({"$orderby=result+up", "$orderby at 7: expected ',' or the end after 'result'"});
    expectRefused({"$orderby=desc", "$orderby at 0: expected a property name, found 'desc'"});
    expectRefused({"$filter=result+gt", "$filter at 9: expected a value after 'result gt'"});
}

}  // namespace
}  // namespace citysense::api
