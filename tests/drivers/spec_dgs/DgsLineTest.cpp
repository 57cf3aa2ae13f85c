// The DGS answer-line parser on its own: the example line, and malformed input of every kind, none of
// which may crash it (the sanitizer build checks what the assertions cannot).

#include <DgsLine.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace citysense::spec_dgs {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;

const std::string kExample = "012345678901, 123, 25, 45, 30000, 26000, 29000, 00, 01, 02, 03\r\n";

TEST(SpecDgsLine, TheExampleLineGivesEveryField) {
    const DgsParse parsed = parseDgsLine(kExample);
    ASSERT_TRUE(parsed.reading) << parsed.error;
    EXPECT_THAT(parsed.error, IsEmpty());
    const DgsReading& reading = *parsed.reading;
    EXPECT_EQ(reading.serial, "012345678901");
    EXPECT_EQ(reading.ppb, 123);
    EXPECT_EQ(reading.temperature, 25);
    EXPECT_EQ(reading.humidity, 45);
    EXPECT_EQ(reading.rawSensor, 30000);
    EXPECT_EQ(reading.rawTemperature, 26000);
    EXPECT_EQ(reading.rawHumidity, 29000);
    EXPECT_EQ(reading.days, 0);
    EXPECT_EQ(reading.hours, 1);
    EXPECT_EQ(reading.minutes, 2);
    EXPECT_EQ(reading.seconds, 3);
    EXPECT_EQ(reading.uptimeSeconds(), 3723);
}

TEST(SpecDgsLine, LineEndsAndSpacingMayVary) {
    for (const std::string line : {
             "012345678901, 123, 25, 45, 30000, 26000, 29000, 00, 01, 02, 03",
             "012345678901, 123, 25, 45, 30000, 26000, 29000, 00, 01, 02, 03\n",
             "012345678901,123,25,45,30000,26000,29000,00,01,02,03\r\n",
             "  012345678901 ,\t123, 25, 45, 30000, 26000, 29000, 00, 01, 02, 03 \r\n",
         }) {
        const DgsParse parsed = parseDgsLine(line);
        ASSERT_TRUE(parsed.reading) << line << ": " << parsed.error;
        EXPECT_EQ(parsed.reading->ppb, 123) << line;
        EXPECT_EQ(parsed.reading->seconds, 3) << line;
    }
}

TEST(SpecDgsLine, NegativeReadingsAndLongUptimesParse) {
    const DgsParse parsed = parseDgsLine("7, -15, -3, 100, -1, 0, 0, 365, 23, 59, 59\r\n");
    ASSERT_TRUE(parsed.reading) << parsed.error;
    EXPECT_EQ(parsed.reading->serial, "7");
    EXPECT_EQ(parsed.reading->ppb, -15);
    EXPECT_EQ(parsed.reading->temperature, -3);
    EXPECT_EQ(parsed.reading->rawSensor, -1);
    EXPECT_EQ(parsed.reading->uptimeSeconds(), 365 * 86400 + 86399);
}

struct Malformed {
    std::string line;
    std::string error;
};

TEST(SpecDgsLine, MalformedLinesSayWhatIsWrong) {
    const std::vector<Malformed> cases = {
        {"", "empty line"},
        {"\r\n", "empty line"},
        {"   \t \r\n", "empty line"},
        {"garbage\r\n", "11 fields expected, 1 found"},
        {"012345678901, 123, 25\r\n", "11 fields expected, 3 found"},
        {"012345678901, 123, 25, 45, 30000, 26000, 29000, 00, 01, 02\r\n", "11 fields expected, 10 found"},
        {"012345678901, 123, 25, 45, 30000, 26000, 29000, 00, 01, 02, 03, 04\r\n",
         "11 fields expected, 12 found"},
        {"012345678901, 123, 25, 45, 30000, 26000, 29000, 00, 01, 02, 03,\r\n",
         "11 fields expected, 12 found"},
        {",,,,,,,,,,", "field 1 (serial) is empty"},
        {"01234567890A, 123, 25, 45, 30000, 26000, 29000, 00, 01, 02, 03",
         "field 1 (serial) \"01234567890A\""},
        {"-12345678901, 123, 25, 45, 30000, 26000, 29000, 00, 01, 02, 03", "not a number of digits"},
        {"123456789012345678901, 1, 25, 45, 30000, 26000, 29000, 00, 01, 02, 03", "longer than 20 digits"},
        {"012345678901, , 25, 45, 30000, 26000, 29000, 00, 01, 02, 03", "field 2 (ppb) is empty"},
        {"012345678901, 12x, 25, 45, 30000, 26000, 29000, 00, 01, 02, 03",
         "field 2 (ppb) \"12x\" is not an integer"},
        {"012345678901, 1.5, 25, 45, 30000, 26000, 29000, 00, 01, 02, 03", "\"1.5\" is not an integer"},
        {"012345678901, +5, 25, 45, 30000, 26000, 29000, 00, 01, 02, 03", "\"+5\" is not an integer"},
        {"012345678901, -, 25, 45, 30000, 26000, 29000, 00, 01, 02, 03", "\"-\" is not an integer"},
        {"012345678901, 1 2, 25, 45, 30000, 26000, 29000, 00, 01, 02, 03", "\"1 2\" is not an integer"},
        {"012345678901, 123, 25, 45, 30000, 26000, 29000, 00, 01, 02, 0\r3", "field 11 (seconds)"},
        {"012345678901, 99999999999999999999, 25, 45, 30000, 26000, 29000, 00, 01, 02, 03",
         "is out of range"},
        {"012345678901, 123, 25, 45, 30000, 26000, 29000, -1, 01, 02, 03",
         "field 8 (days) -1 is not between 0 and 1000000"},
        {"012345678901, 123, 25, 45, 30000, 26000, 29000, 00, 24, 02, 03", "field 9 (hours) 24"},
        {"012345678901, 123, 25, 45, 30000, 26000, 29000, 00, 01, 60, 03", "field 10 (minutes) 60"},
        {"012345678901, 123, 25, 45, 30000, 26000, 29000, 00, 01, 02, 60", "field 11 (seconds) 60"},
        {"012345678901, 123, 25, 45, 30000, 26000, 29000, 9223372036854775807, 01, 02, 03", "field 8 (days)"},
        {std::string("0123") + '\0' + "45678901, 123, 25, 45, 30000, 26000, 29000, 00, 01, 02, 03",
         "\"0123\\x0045678901\""},
    };
    for (const auto& [line, error] : cases) {
        const DgsParse parsed = parseDgsLine(line);
        EXPECT_FALSE(parsed.reading) << quoteText(line);
        EXPECT_THAT(parsed.error, HasSubstr(error)) << quoteText(line);
    }
}

TEST(SpecDgsLine, EveryTruncationOfAValidLineIsHandled) {
    for (std::size_t length = 0; length <= kExample.size(); ++length) {
        const std::string line = kExample.substr(0, length);
        const DgsParse parsed = parseDgsLine(line);
        // Only cuts inside the last field (or its line end) still give eleven fields.
        if (parsed.reading) {
            EXPECT_GE(length, kExample.find(", 03") + 3) << quoteText(line);
            EXPECT_EQ(parsed.reading->ppb, 123);
        } else {
            EXPECT_THAT(parsed.error, ::testing::Not(IsEmpty())) << quoteText(line);
        }
    }
}

/// Seeded mutations of the example line: flipped, inserted, deleted and duplicated bytes.
TEST(SpecDgsLine, MutatedLinesNeverCrashAndEitherParseOrSayWhy) {
    std::mt19937 random(20261124);
    std::uniform_int_distribution<int> byte(0, 255);
    const char interesting[] = {',', ' ', '-', '0', '9', '\r', '\n', '\0', '+', '.'};
    for (int round = 0; round < 20000; ++round) {
        std::string line = kExample;
        const int edits = 1 + static_cast<int>(random() % 6);
        for (int edit = 0; edit < edits && !line.empty(); ++edit) {
            const std::size_t at = random() % line.size();
            const char c =
                random() % 2 ? static_cast<char>(byte(random)) : interesting[random() % sizeof interesting];
            switch (random() % 4) {
                case 0:
                    line[at] = c;
                    break;
                case 1:
                    line.insert(at, 1, c);
                    break;
                case 2:
                    line.erase(at, 1 + random() % 8);
                    break;
                default:
                    line.insert(at, line.substr(at, random() % 16));
            }
        }
        const DgsParse parsed = parseDgsLine(line);
        EXPECT_NE(parsed.reading.has_value(), !parsed.error.empty()) << quoteText(line);
        if (parsed.reading) {
            EXPECT_GE(parsed.reading->uptimeSeconds(), 0) << quoteText(line);
        }
    }
}

TEST(SpecDgsLine, QuotingEscapesWhatIsNotPrintableAndCutsLongText) {
    EXPECT_EQ(quoteText("plain, 12"), "\"plain, 12\"");
    EXPECT_EQ(quoteText("a\"b\\c"), "\"a\\\"b\\\\c\"");
    EXPECT_EQ(quoteText("\r\n\t"), "\"\\r\\n\\t\"");
    EXPECT_EQ(quoteText(std::string("\x02\0\xff", 3)), "\"\\x02\\x00\\xff\"");
    EXPECT_EQ(quoteText("abcdef", 3), "\"abc...\"");
    EXPECT_EQ(quoteText("abc", 3), "\"abc\"");
    EXPECT_EQ(quoteText(""), "\"\"");
}

}  // namespace
}  // namespace citysense::spec_dgs
