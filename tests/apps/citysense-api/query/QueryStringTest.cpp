// Splitting and decoding a query string: '&' and the first '=', percent escapes, '+' as a space, and
// what is refused (bad escapes, text that is not UTF-8, control characters, oversized values).
#include <query/QueryError.h>
#include <query/QueryString.h>

#include <gtest/gtest.h>

namespace citysense::api {
namespace {

TEST(QueryString, SplitsAtAmpersandsAndTheFirstEquals) {
    const auto parameters = splitQueryString("$top=5&$filter=a%20eq%20'x=y'&&from=1&");
    ASSERT_EQ(parameters.size(), 3u);
    EXPECT_EQ(parameters[0].name, "$top");
    EXPECT_EQ(parameters[0].value, "5");
    EXPECT_EQ(parameters[1].name, "$filter");
    EXPECT_EQ(parameters[1].value, "a eq 'x=y'");
    EXPECT_EQ(parameters[2].name, "from");
    EXPECT_EQ(parameters[2].value, "1");
}

TEST(QueryString, DecodesPlusAsSpaceAndEscapedAmpersandsStayInTheValue) {
    const auto parameters = splitQueryString("%24filter=name+eq+'a%26b'+and+x+eq+'%2B1'");
    ASSERT_EQ(parameters.size(), 1u);
    EXPECT_EQ(parameters[0].name, "$filter");
    EXPECT_EQ(parameters[0].value, "name eq 'a&b' and x eq '+1'");
}

TEST(QueryString, APieceWithoutEqualsHasAnEmptyValue) {
    const auto parameters = splitQueryString("$count");
    ASSERT_EQ(parameters.size(), 1u);
    EXPECT_EQ(parameters[0].value, "");
}

TEST(QueryString, KeepsUtf8Text) {
    const auto parameters = splitQueryString("$filter=name+eq+'Stra%C3%9Fe'");
    EXPECT_EQ(parameters.at(0).value, "name eq 'Straße'");
}

void expectError(const char* query, const char* option, std::size_t position, const char* message) {
    try {
        splitQueryString(query);
        ADD_FAILURE() << query << " was accepted";
    } catch (const QueryError& error) {
        EXPECT_EQ(error.option(), option) << query;
        EXPECT_EQ(error.position(), position) << query;
        EXPECT_EQ(error.message(), message) << query;
    }
}

TEST(QueryString, RefusesABadEscapeAtItsPercentSign) {
    expectError("$filter=name+eq+%zz", "$filter", 8, "'%' must be followed by two hexadecimal digits");
    expectError("$top=5%2", "$top", 1, "'%' must be followed by two hexadecimal digits");
    expectError("$t%op=5", "$t%op", 2, "'%' must be followed by two hexadecimal digits");
}

TEST(QueryString, RefusesWhatIsNotText) {
    expectError("$filter=name+eq+'%C3'", "$filter", 9, "not UTF-8 text");
    expectError("$filter=name+eq+'%C0%AF'", "$filter", 9, "not UTF-8 text");     // overlong '/'
    expectError("$filter=name+eq+'%ED%A0%80'", "$filter", 9, "not UTF-8 text");  // a surrogate
    expectError("$filter=a%00", "$filter", 1, "control character");
    expectError("$filter=a%0Ab", "$filter", 1, "control character");
}

TEST(QueryString, RefusesAnEmptyName) {
    expectError("$top=5&=3", "query string", 7, "a parameter without a name");
}

TEST(QueryString, RefusesAValueAbove64KiB) {
    const std::string query = "$filter=" + std::string(kMaxValueBytes + 1, 'a');
    expectError(query.c_str(), "$filter", kMaxValueBytes, "longer than 65536 bytes");
    EXPECT_NO_THROW(splitQueryString("$filter=" + std::string(kMaxValueBytes, 'a')));
}

}  // namespace
}  // namespace citysense::api
