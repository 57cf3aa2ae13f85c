// Every refusal of the $filter parser, with its position in the filter text and its wording.
#include <query/FilterParser.h>
#include <query/QueryError.h>

#include <gtest/gtest.h>

namespace citysense::api {
namespace {

struct Case {
    const char* filter;
    std::size_t position;
    const char* message;
};

void expectRefused(const Case& c) {
    try {
        parseFilter(c.filter);
        ADD_FAILURE() << c.filter << " was accepted";
    } catch (const QueryError& error) {
        EXPECT_EQ(error.option(), "$filter") << c.filter;
        EXPECT_EQ(error.position(), c.position) << c.filter;
        EXPECT_EQ(error.message(), c.message) << c.filter;
    }
}

TEST(FilterErrors, WhatReadsOptionPositionAndMessage) {
    try {
        parseFilter("not (result gt 5 name eq 'a')");
        FAIL();
    } catch (const QueryError& error) {
        EXPECT_STREQ(error.what(), "$filter at 17: expected ')' after 'result gt 5'");
    }
}

TEST(FilterErrors, UnbalancedParentheses) {
    expectRefused({"(result gt 5", 12, "expected ')' after 'result gt 5'"});
    expectRefused({"((a eq 1) or b", 14, "expected ')' after '(a eq 1) or b'"});
    expectRefused({"a eq 1)", 6, "expected an operator or the end after 'a eq 1'"});
    expectRefused({"()", 1, "expected a value, found ')'"});
}

TEST(FilterErrors, MissingOrMisplacedOperands) {
    expectRefused({"", 0, "expected a value, found the end"});
    expectRefused({"result gt", 9, "expected a value after 'result gt'"});
    expectRefused({"a eq 1 and", 10, "expected a value after 'a eq 1 and'"});
    expectRefused({"a eq 1 or", 9, "expected a value after 'a eq 1 or'"});
    expectRefused({"and result", 0, "expected a value, found 'and'"});
    expectRefused({"result gt eq 5", 10, "expected a value, found 'eq'"});
    expectRefused({"result gt 5 name", 12, "expected an operator or the end after 'result gt 5'"});
    expectRefused({"result gt ,", 10, "expected a value, found ','"});
    expectRefused({"not", 3, "expected a value, found the end"});
    expectRefused({"Datastream/ eq 1", 12, "expected a property name, found 'eq'"});
    expectRefused({"Datastream//name eq 1", 11, "expected a property name, found '/'"});
}

TEST(FilterErrors, UnsupportedFunctionsAtTheirPosition) {
    expectRefused({"foo(name) eq 1", 0, "unsupported function foo"});
    expectRefused({"result gt 1 and geo.distance(location, geography'BBOX(0,0,1,1)') lt 1", 16,
                   "unsupported function geo.distance"});
    expectRefused({"year(phenomenonTime) eq 2025", 0, "unsupported function year"});
    expectRefused({"Substringof('a', name)", 0, "unsupported function Substringof"});
}

TEST(FilterErrors, FunctionArity) {
    expectRefused(
        {"startswith(name) eq true", 15, "expected ',' (startswith takes 2 arguments) after 'name'"});
    expectRefused({"length(name, 2) gt 1", 11, "expected ')' (length takes 1 argument) after 'name'"});
    expectRefused({"tolower() eq 'a'", 8, "expected a value, found ')'"});
    expectRefused({"contains(name, 'a'", 18, "expected ')' (contains takes 2 arguments) after 'name, 'a''"});
}

TEST(FilterErrors, GeoIntersectsArguments) {
    expectRefused({"geo.intersects(location, 'POLYGON((0 0,1 0,1 1,0 0))')", 25,
                   "geo.intersects: expected geography'POLYGON((…))' or geography'BBOX(…)', found "
                   "''POLYGON((0 0,1 0,1 1,0 0))''"});
    expectRefused(
        {"geo.intersects('x', geography'BBOX(0,0,1,1)')", 15, "expected a property name, found ''x''"});
    expectRefused({"geo.intersects(location geography'BBOX(0,0,1,1)')", 24,
                   "expected ',' (geo.intersects takes a location and geography'…') after 'location'"});
    expectRefused({"geo.intersects(location, geography'POINT(1 2)')", 35,
                   "geography: expected POLYGON((…)) or BBOX(west,south,east,north)"});
    expectRefused({"geography'BBOX(0,0,1,1)' eq location", 0,
                   "geography'…' is only allowed as the second argument of geo.intersects"});
    expectRefused(
        {"geo.intersects(location, geography'BBOX(0,0,1,1)'", 49,
         "expected ')' (geo.intersects takes 2 arguments) after 'location, geography'BBOX(0,0,1,1)''"});
}

TEST(FilterErrors, MalformedLiterals) {
    expectRefused({"name eq 'abc", 8, "unterminated string: a quote inside one is written ''"});
    expectRefused({"name eq 'it's'", 13, "unterminated string: a quote inside one is written ''"});
    expectRefused({"result gt 5x", 11, "expected a space or an operator after a number"});
    expectRefused({"result gt 1.", 12, "expected digits after '.'"});
    expectRefused({"result gt 1e", 12, "expected the digits of an exponent"});
    expectRefused({"result gt 1e999", 10, "number out of range"});
    expectRefused({"phenomenonTime gt 2025-13-01T00:00:00Z", 18, "date-time: no such date or time"});
    expectRefused({"phenomenonTime gt 2025-11-24T16:00:00", 37,
                   "date-time: expected 'Z' or an offset like +01:00 (write '+' as %2B in a URL)"});
    expectRefused({"phenomenonTime gt 2025-11-24T16:00:00 01:00", 37,
                   "date-time: expected 'Z' or an offset like +01:00 (write '+' as %2B in a URL)"});
}

TEST(FilterErrors, CharactersNoTokenBeginsWith) {
    expectRefused({"result gt 5 & x", 12, "unexpected character '&'"});
    expectRefused({"result == 5", 7, "unexpected character '='"});
    expectRefused({"name eq \"a\"", 8, "unexpected character '\"'"});
    expectRefused({"name eq \xC3\xA9", 8, "unexpected character"});
}

TEST(FilterErrors, QuotesLongTextShortenedAtACharacterBoundary) {
    std::string umlauts;
    for (int i = 0; i < 32; ++i)
        umlauts += "ä";
    const std::string filter = "(name eq '" + umlauts + "' x";
    // 40 bytes of "name eq 'ää…" end inside the 16th 'ä': the quote stops after the 15th.
    const std::string expected = "expected ')' after 'name eq '" + umlauts.substr(0, 30) + "…'";
    expectRefused({filter.c_str(), filter.size() - 1, expected.c_str()});
}

}  // namespace
}  // namespace citysense::api
