// The bounds of a filter: its size (64 KiB) and its nesting (64 levels), met with clean errors however
// the input is built, and long flat lists of alternatives still accepted.
#include <query/ExpressionText.h>
#include <query/FilterParser.h>
#include <query/QueryError.h>
#include <query/QueryOptions.h>

#include <gtest/gtest.h>

namespace citysense::api {
namespace {

std::string repeated(const std::string& text, std::size_t times) {
    std::string out;
    for (std::size_t i = 0; i < times; ++i)
        out += text;
    return out;
}

QueryError refusal(const std::string& filter) {
    try {
        parseFilter(filter);
    } catch (const QueryError& error) {
        return error;
    }
    ADD_FAILURE() << "accepted: " << filter.substr(0, 80);
    return QueryError("", 0, "");
}

TEST(FilterLimits, A100KilobyteFilterIsRefusedBeforeItIsParsed) {
    const std::string filter = repeated("result eq 1 or ", 7000) + "result eq 1";
    ASSERT_GT(filter.size(), 100000u);
    try {
        parseQueryOptions("$filter=" + filter);
        FAIL();
    } catch (const QueryError& error) {
        EXPECT_STREQ(error.what(), "$filter at 65536: longer than 65536 bytes");
    }
}

TEST(FilterLimits, TheParserAloneRefusesMoreThan64KiB) {
    const QueryError error = refusal(std::string(kMaxValueBytes + 1, ' ') + "a");
    EXPECT_STREQ(error.what(), "$filter at 65536: longer than 65536 bytes");
}

TEST(FilterLimits, ALongListOfAlternativesIsOneFlatNode) {
    const std::string filter = repeated("@iot.id eq 1 or ", 4000) + "@iot.id eq 1";
    ASSERT_LT(filter.size(), kMaxValueBytes);
    const auto tree = parseFilter(filter);
    EXPECT_EQ(std::get<Logical>(tree->node).operands.size(), 4001u);
    EXPECT_EQ(tree->depth, 3u);
}

TEST(FilterLimits, TenThousandOpenParenthesesGiveACleanError) {
    const QueryError error = refusal(repeated("(", 10000));
    EXPECT_EQ(error.position(), 64u);
    EXPECT_EQ(error.message(), "nested deeper than 64 levels");
}

TEST(FilterLimits, SixtyFourLevelsOfParenthesesAreAccepted) {
    EXPECT_NO_THROW(parseFilter(repeated("(", 64) + "a eq 1" + repeated(")", 64)));
    EXPECT_EQ(refusal(repeated("(", 65) + "a eq 1" + repeated(")", 65)).position(), 64u);
}

TEST(FilterLimits, DeepUnaryOperatorsAndCallsAreBoundedToo) {
    EXPECT_EQ(refusal(repeated("not ", 10000) + "true").message(), "nested deeper than 64 levels");
    EXPECT_EQ(refusal(repeated("-", 10000) + "1").position(), 64u);
    EXPECT_EQ(refusal(repeated("tolower(", 1000) + "name").message(), "nested deeper than 64 levels");
}

TEST(FilterLimits, LongOperatorChainsMakeNoTreeDeeperThan64) {
    const auto accepted = parseFilter(repeated("1 add ", 62) + "1 eq 63");
    EXPECT_EQ(accepted->depth, 64u);
    const QueryError error = refusal(repeated("1 add ", 5000) + "1 eq 5001");
    EXPECT_EQ(error.message(), "nested deeper than 64 levels");
    EXPECT_EQ(error.position(), 63u * 6 + 2);  // the 64th "add" makes the 65th level
}

}  // namespace
}  // namespace citysense::api
