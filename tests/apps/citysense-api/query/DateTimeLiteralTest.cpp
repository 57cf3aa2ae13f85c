// ISO 8601 date-time literals into UTC microseconds: fractions, offsets east and west, and each
// malformed part refused where it is.
#include <query/DateTimeLiteral.h>
#include <query/QueryError.h>

#include <gtest/gtest.h>

namespace citysense::api {
namespace {

// 2025-11-24T16:00:00Z
constexpr std::int64_t kAfternoon = 1764000000LL * 1000000;

std::int64_t read(const char* text) {
    return parseDateTime(text, "$filter", 0);
}

TEST(DateTimeLiteral, ReadsUtcWithAndWithoutFractions) {
    EXPECT_EQ(read("2025-11-24T16:00:00Z"), kAfternoon);
    EXPECT_EQ(read("2025-11-24T16:00:00.123Z"), kAfternoon + 123000);
    EXPECT_EQ(read("2025-11-24T16:00:00.000001Z"), kAfternoon + 1);
    EXPECT_EQ(read("2025-11-24T16:00:00.1234567Z"), kAfternoon + 123456);  // beyond µs dropped
    EXPECT_EQ(read("2025-11-24T16:00Z"), kAfternoon);
    EXPECT_EQ(read("1970-01-01T00:00:00Z"), 0);
    EXPECT_EQ(read("1969-12-31T23:59:59Z"), -1000000);
}

TEST(DateTimeLiteral, AppliesOffsets) {
    EXPECT_EQ(read("2025-11-24T17:00:00+01:00"), kAfternoon);
    EXPECT_EQ(read("2025-11-24T10:30:00.5-05:30"), kAfternoon + 500000);
    EXPECT_EQ(read("2025-11-25T01:45:00+09:45"), kAfternoon);
    EXPECT_EQ(read("2025-11-24T16:00:00+00:00"), kAfternoon);
}

TEST(DateTimeLiteral, KnowsLeapYears) {
    EXPECT_EQ(read("2024-02-29T00:00:00Z") + 86400LL * 1000000, read("2024-03-01T00:00:00Z"));
}

void expectError(const char* text, std::size_t position, const char* message) {
    try {
        parseDateTime(text, "$filter", 10);
        ADD_FAILURE() << text << " was accepted";
    } catch (const QueryError& error) {
        EXPECT_EQ(error.position(), 10 + position) << text;
        EXPECT_EQ(error.message(), message) << text;
    }
}

TEST(DateTimeLiteral, RefusesEachMalformedPartWhereItIs) {
    expectError("2025-11-24", 10, "date-time: expected 'T'");
    expectError("2025-11-24T16:00:00", 19,
                "date-time: expected 'Z' or an offset like +01:00 (write '+' as %2B in a URL)");
    expectError("2025-1-24T16:00:00Z", 5, "date-time: expected 2 digits of the month");
    expectError("2025-02-30T16:00:00Z", 0, "date-time: no such date or time");
    expectError("2025-11-24T24:00:00Z", 0, "date-time: no such date or time");
    expectError("2025-11-24T16:60:00Z", 0, "date-time: no such date or time");
    expectError("2025-11-24T16:00:60Z", 0, "date-time: no such date or time");
    expectError("0000-01-01T00:00:00Z", 0, "date-time: no such date or time");
    expectError("2025-11-24T16:00:00.Z", 20, "date-time: expected digits after '.'");
    expectError("2025-11-24T16:00:00.1234567891Z", 29, "date-time: at most nine digits of a second");
    expectError("2025-11-24T16:00:00+24:00", 19, "date-time: no such offset");
    expectError("2025-11-24T16:00:00+0100", 22, "date-time: expected ':'");
    expectError("2025-11-24T16:00:00ZZ", 20, "unexpected text after the date-time");
}

}  // namespace
}  // namespace citysense::api
