// The WindSonic frame parsers on their own: the vectors of the Gill manual and NMEA 0183, every unit and
// status, and malformed input of every kind, none of which may crash them (the sanitizer build checks
// what the assertions cannot).

#include <GillFrame.h>
#include <NmeaMwv.h>
#include <WindFrame.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

namespace citysense::windsonic {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

/// A Gill frame around `body`, with its checksum computed (or the one given) and a line end.
std::string gill(const std::string& body, int checksum = -1) {
    char text[16];
    std::snprintf(text, sizeof text, "%02X", checksum < 0 ? xorOf(body) : checksum);
    return std::string(1, kStx) + body + kEtx + text + "\r\n";
}

/// An NMEA sentence around `body`, with its checksum computed and a line end.
std::string nmea(const std::string& body) {
    char text[16];
    std::snprintf(text, sizeof text, "%02X", xorOf(body));
    return "$" + body + "*" + text + "\r\n";
}

constexpr double kKnot = 1852.0 / 3600.0;

// --- Gill ---------------------------------------------------------------------------------------

TEST(WindSonicGillFrame, TheManualsVectorsHaveTheirChecksums) {
    EXPECT_EQ(xorOf("Q,229,002.74,M,00,"), 0x16);
    EXPECT_EQ(xorOf("Q,036,002.57,M,00,"), 0x1B);
    EXPECT_EQ(xorOf("Q,,000.04,M,00,"), 0x2A);
}

TEST(WindSonicGillFrame, AFrameGivesSpeedAndDirection) {
    const FrameParse parsed = parseGillFrame(
        "\x02Q,229,002.74,M,00,\x03"
        "16\r\n");
    ASSERT_TRUE(parsed.frame) << parsed.error;
    EXPECT_EQ(parsed.problem, FrameProblem::None);
    EXPECT_DOUBLE_EQ(parsed.frame->speed, 2.74);
    EXPECT_EQ(parsed.frame->direction, 229.0);
    EXPECT_FALSE(parsed.frame->fault);
    EXPECT_EQ(parsed.frame->status, "00");

    const FrameParse second = parseGillFrame(
        "\x02Q,036,002.57,M,00,\x03"
        "1B\r\n");
    ASSERT_TRUE(second.frame) << second.error;
    EXPECT_DOUBLE_EQ(second.frame->speed, 2.57);
    EXPECT_EQ(second.frame->direction, 36.0);
}

TEST(WindSonicGillFrame, BelowTheDirectionThresholdThereIsNoDirection) {
    const FrameParse parsed = parseGillFrame(
        "\x02Q,,000.04,M,00,\x03"
        "2A\r\n");
    ASSERT_TRUE(parsed.frame) << parsed.error;
    EXPECT_DOUBLE_EQ(parsed.frame->speed, 0.04);
    EXPECT_FALSE(parsed.frame->direction);
}

TEST(WindSonicGillFrame, LineEndsChecksumCaseNodeAndLineNoiseMayVary) {
    for (const std::string& line : {
             std::string("\x02Q,229,002.74,M,00,\x03"
                         "16"),
             std::string("\x02Q,229,002.74,M,00,\x03"
                         "16\n"),
             gill("A,229,002.74,M,00,"),
             gill("Q,229,002.74,M,00"),  // without the comma before <ETX>
             std::string("\xff\x00noise", 7) + gill("Q,229,002.74,M,00,"),
             "\x02Q,22" + gill("Q,229,002.74,M,00,"),  // the tail of a frame cut short before
         }) {
        const FrameParse parsed = parseGillFrame(line);
        ASSERT_TRUE(parsed.frame) << quoteText(line) << ": " << parsed.error;
        EXPECT_DOUBLE_EQ(parsed.frame->speed, 2.74) << quoteText(line);
        EXPECT_EQ(parsed.frame->direction, 229.0) << quoteText(line);
    }
    const std::string lower =
        "\x02Q,036,002.57,M,00,\x03"
        "1b\r\n";
    EXPECT_TRUE(parseGillFrame(lower).frame);
}

TEST(WindSonicGillFrame, EveryUnitIsConvertedToMetresPerSecond) {
    const std::vector<std::pair<std::string, double>> units = {
        {"M", 1.0}, {"N", kKnot}, {"P", 0.44704}, {"K", 1.0 / 3.6}, {"F", 0.00508}};
    for (const auto& [unit, factor] : units) {
        const FrameParse parsed = parseGillFrame(gill("Q,180,010.00," + unit + ",00,"));
        ASSERT_TRUE(parsed.frame) << unit << ": " << parsed.error;
        EXPECT_DOUBLE_EQ(parsed.frame->speed, 10.0 * factor) << unit;
    }
}

TEST(WindSonicGillFrame, DirectionsPast359WrapAround) {
    const FrameParse parsed = parseGillFrame(gill("Q,450,001.00,M,00,"));
    ASSERT_TRUE(parsed.frame) << parsed.error;
    EXPECT_EQ(parsed.frame->direction, 90.0);
    EXPECT_EQ(parseGillFrame(gill("Q,000,001.00,M,00,")).frame->direction, 0.0);
    EXPECT_EQ(parseGillFrame(gill("Q,360,001.00,M,00,")).frame->direction, 0.0);
}

TEST(WindSonicGillFrame, AStatusOtherThan00IsAFaultWithoutValues) {
    const std::vector<std::pair<std::string, std::string>> statuses = {
        {"01", "axis 1 failed"}, {"02", "axis 2 failed"}, {"04", "axis 1 and 2 failed"},
        {"08", "NVM error"},     {"09", "ROM error"},     {"51", "unknown status"}};
    for (const auto& [status, text] : statuses) {
        const FrameParse parsed = parseGillFrame(gill("Q,999,999.99,M," + status + ","));
        ASSERT_TRUE(parsed.frame) << status << ": " << parsed.error;
        EXPECT_TRUE(parsed.frame->fault) << status;
        EXPECT_EQ(parsed.frame->status, status);
        EXPECT_THAT(parsed.frame->statusText, HasSubstr(text));
        EXPECT_TRUE(std::isnan(parsed.frame->speed)) << status;
        EXPECT_FALSE(parsed.frame->direction) << status;
    }
    // A failed measurement is a fault whatever its value fields hold.
    const FrameParse empty = parseGillFrame(gill("Q,,,,04,"));
    ASSERT_TRUE(empty.frame) << empty.error;
    EXPECT_TRUE(empty.frame->fault);
}

TEST(WindSonicGillFrame, ABadChecksumIsReportedAsSuch) {
    const FrameParse parsed = parseGillFrame(
        "\x02Q,229,002.74,M,00,\x03"
        "17\r\n");
    EXPECT_FALSE(parsed.frame);
    EXPECT_EQ(parsed.problem, FrameProblem::BadChecksum);
    EXPECT_EQ(parsed.error, "checksum 17 does not match the frame's 16");
    const FrameParse flipped = parseGillFrame(
        "\x02Q,229,002.75,M,00,\x03"
        "16\r\n");
    EXPECT_EQ(flipped.problem, FrameProblem::BadChecksum);
}

struct Malformed {
    std::string line;
    std::string error;
};

TEST(WindSonicGillFrame, MalformedFramesSayWhatIsWrong) {
    const std::vector<Malformed> cases = {
        {"", "no <STX>"},
        {"\r\n", "no <STX>"},
        {"Q,229,002.74,M,00,\x03"
         "16\r\n",
         "no <STX>"},
        {"\x02Q,229,002.74,M,00,16\r\n", "no <ETX>"},
        {"$IIMWV,017,R,02.91,N,A*2F\r\n", "no <STX>"},
        {"\x02Q,229,002.74,M,00,\x03\r\n", "checksum \"\" is not two hex digits"},
        {"\x02Q,229,002.74,M,00,\x03"
         "1\r\n",
         "checksum \"1\" is not two hex digits"},
        {"\x02Q,229,002.74,M,00,\x03"
         "G6\r\n",
         "checksum \"G6\" is not two hex digits"},
        {"\x02Q,229,002.74,M,00,\x03"
         "166\r\n",
         "checksum \"166\" is not two hex digits"},
        {"\x02Q,229,002.74,M,00,\x03"
         " 16\r\n",
         "is not two hex digits"},
        {gill(""), "5 fields expected (node, direction, speed, units, status), 1 found"},
        {gill("Q,229,002.74,M,"), "4 found"},
        {gill("Q,229,002.74,M,00,,"), "6 found"},
        {gill("Q,229,,002.74,M,00,"), "6 found"},
        {gill("q,229,002.74,M,00,"), "node address \"q\" is not a letter A-Z"},
        {gill("QQ,229,002.74,M,00,"), "node address \"QQ\""},
        {gill(",229,002.74,M,00,"), "node address \"\""},
        {gill("Q,229,002.74,M,0,"), "status \"0\" is not two digits"},
        {gill("Q,229,002.74,M,A,"), "status \"A\" is not two digits"},
        {gill("Q,229,002.74,X,00,"), "units \"X\" are not M, N, P, K or F"},
        {gill("Q,229,002.74,m,00,"), "units \"m\""},
        {gill("Q,229,,M,00,"), "speed \"\" is not a decimal number"},
        {gill("Q,229,-02.74,M,00,"), "speed \"-02.74\""},
        {gill("Q,229,2.7.4,M,00,"), "speed \"2.7.4\""},
        {gill("Q,229,.,M,00,"), "speed \".\""},
        {gill("Q,229,1e3,M,00,"), "speed \"1e3\""},
        {gill("Q,229,99999999999999999999,M,00,"), "speed \"99999999999999999999\""},
        {gill("Q,229,002.74 ,M,00,"), "speed \"002.74 \""},
        {gill("Q,540,002.74,M,00,"), "direction \"540\" is not degrees from 0 to 539"},
        {gill("Q,+001.59,-002.74,M,00,"), "(the polar format is needed, not UV)"},
        {gill("Q,nan,002.74,M,00,"), "direction \"nan\""},
    };
    for (const auto& [line, error] : cases) {
        const FrameParse parsed = parseGillFrame(line);
        EXPECT_FALSE(parsed.frame) << quoteText(line);
        EXPECT_EQ(parsed.problem, FrameProblem::Malformed) << quoteText(line);
        EXPECT_THAT(parsed.error, HasSubstr(error)) << quoteText(line);
    }
}

// --- NMEA ---------------------------------------------------------------------------------------

TEST(WindSonicNmea, TheVectorsHaveTheirChecksums) {
    EXPECT_EQ(xorOf("IIMWV,017,R,02.91,N,A"), 0x2F);
    EXPECT_EQ(xorOf("IIMWV,142.0,T,10.00,M,A"), 0x3E);
}

TEST(WindSonicNmea, ASentenceGivesSpeedInMetresPerSecondAndAngle) {
    const FrameParse relative = parseMwvSentence("$IIMWV,017,R,02.91,N,A*2F\r\n");
    ASSERT_TRUE(relative.frame) << relative.error;
    EXPECT_DOUBLE_EQ(relative.frame->speed, 2.91 * kKnot);
    EXPECT_EQ(relative.frame->direction, 17.0);
    EXPECT_FALSE(relative.frame->fault);
    EXPECT_EQ(relative.frame->status, "A");

    const FrameParse theoretical = parseMwvSentence("$IIMWV,142.0,T,10.00,M,A*3E\r\n");
    ASSERT_TRUE(theoretical.frame) << theoretical.error;
    EXPECT_DOUBLE_EQ(theoretical.frame->speed, 10.0);
    EXPECT_EQ(theoretical.frame->direction, 142.0);
}

TEST(WindSonicNmea, AnyTalkerLineNoiseAndChecksumCaseAreAccepted) {
    for (const std::string& line : {
             nmea("WIMWV,017,R,02.91,N,A"),
             nmea("IIMWV,017,R,02.91,N,A"),
             "garbage$II" + nmea("IIMWV,017,R,02.91,N,A"),
             std::string("$IIMWV,017,R,02.91,N,A*2f"),
         }) {
        const FrameParse parsed = parseMwvSentence(line);
        ASSERT_TRUE(parsed.frame) << quoteText(line) << ": " << parsed.error;
        EXPECT_DOUBLE_EQ(parsed.frame->speed, 2.91 * kKnot) << quoteText(line);
    }
}

TEST(WindSonicNmea, KilometresPerHourAndAMissingAngle) {
    const FrameParse parsed = parseMwvSentence(nmea("IIMWV,,R,036.0,K,A"));
    ASSERT_TRUE(parsed.frame) << parsed.error;
    EXPECT_DOUBLE_EQ(parsed.frame->speed, 10.0);
    EXPECT_FALSE(parsed.frame->direction);
}

TEST(WindSonicNmea, VoidDataAndGillFaultCodesAreFaults) {
    for (const std::string body : {"IIMWV,,R,,M,V", "IIMWV,120,R,002.10,M,V", "IIMWV,999,R,999.99,M,04"}) {
        const FrameParse parsed = parseMwvSentence(nmea(body));
        ASSERT_TRUE(parsed.frame) << body << ": " << parsed.error;
        EXPECT_TRUE(parsed.frame->fault) << body;
        EXPECT_TRUE(std::isnan(parsed.frame->speed)) << body;
        EXPECT_FALSE(parsed.frame->direction) << body;
    }
    EXPECT_EQ(parseMwvSentence(nmea("IIMWV,,R,,M,V")).frame->statusText, "data void");
    EXPECT_THAT(parseMwvSentence(nmea("IIMWV,1,R,1,M,04")).frame->statusText,
                HasSubstr("axis 1 and 2 failed"));
    const FrameParse ok = parseMwvSentence(nmea("IIMWV,120,R,002.10,M,00"));
    ASSERT_TRUE(ok.frame) << ok.error;
    EXPECT_FALSE(ok.frame->fault);
    EXPECT_DOUBLE_EQ(ok.frame->speed, 2.10);
}

TEST(WindSonicNmea, StatuteMilesPerHourIsTheStandardUnitS) {
    // A non-Gill instrument set to mph: NMEA 0183's MWV writes S for statute miles per hour.
    const FrameParse parsed = parseMwvSentence(nmea("WIMWV,270,T,10.0,S,A"));
    ASSERT_TRUE(parsed.frame) << parsed.error;
    EXPECT_DOUBLE_EQ(parsed.frame->speed, 4.4704);
    EXPECT_DOUBLE_EQ(*parsed.frame->direction, 270.0);
}

TEST(WindSonicNmea, ABadChecksumIsReportedAsSuch) {
    const FrameParse parsed = parseMwvSentence("$IIMWV,017,R,02.91,N,A*2E\r\n");
    EXPECT_FALSE(parsed.frame);
    EXPECT_EQ(parsed.problem, FrameProblem::BadChecksum);
    EXPECT_EQ(parsed.error, "checksum 2E does not match the frame's 2F");
}

TEST(WindSonicNmea, MalformedSentencesSayWhatIsWrong) {
    const std::vector<Malformed> cases = {
        {"", "no '$'"},
        {"IIMWV,017,R,02.91,N,A*2F\r\n", "no '$'"},
        {"$IIMWV,017,R,02.91,N,A\r\n", "no '*'"},
        {"\x02Q,229,002.74,M,00,\x03"
         "16\r\n",
         "no '$'"},
        {"$IIMWV,017,R,02.91,N,A*\r\n", "checksum \"\" is not two hex digits"},
        {"$IIMWV,017,R,02.91,N,A*2\r\n", "checksum \"2\""},
        {"$IIMWV,017,R,02.91,N,A*2G\r\n", "checksum \"2G\""},
        {"$IIMWV,017,R,02.91,N,A*2F0\r\n", "checksum \"2F0\""},
        {nmea("GPGGA,123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,"),
         "not an MWV sentence: \"GPGGA\""},
        {nmea(""), "not an MWV sentence: \"\""},
        {nmea("iiMWV,017,R,02.91,N,A"), "not an MWV sentence"},
        {nmea("IIMWD,017,R,02.91,N,A"), "not an MWV sentence"},
        {nmea("IIMWV,017,R,02.91,N"), "6 fields expected"},
        {nmea("IIMWV,017,R,02.91,N,A,"), "7 found"},
        {nmea("IIMWV,017,R,02.91,N,X"), "status \"X\" is not A, V or a Gill status code"},
        {nmea("IIMWV,017,R,02.91,N,"), "status \"\""},
        {nmea("IIMWV,017,L,02.91,N,A"), "reference \"L\" is not R or T"},
        {nmea("IIMWV,017,R,02.91,X,A"), "units \"X\" are not M, N, K, S, P or F"},
        {nmea("IIMWV,017,R,,N,A"), "speed \"\""},
        {nmea("IIMWV,017,R,-2.91,N,A"), "speed \"-2.91\""},
        {nmea("IIMWV,017,R,inf,N,A"), "speed \"inf\""},
        {nmea("IIMWV,017,R,123456789012,N,A"), "speed \"123456789012\""},
        {nmea("IIMWV,999,R,02.91,N,A"), "angle \"999\" is not degrees from 0 to 539"},
        {nmea("IIMWV,-17,R,02.91,N,A"), "angle \"-17\""},
    };
    for (const auto& [line, error] : cases) {
        const FrameParse parsed = parseMwvSentence(line);
        EXPECT_FALSE(parsed.frame) << quoteText(line);
        EXPECT_EQ(parsed.problem, FrameProblem::Malformed) << quoteText(line);
        EXPECT_THAT(parsed.error, HasSubstr(error)) << quoteText(line);
    }
}

// --- Both: truncations and mutations ------------------------------------------------------------

using Parser = FrameParse (*)(std::string_view);

struct Valid {
    const char* name;
    Parser parse;
    std::string line;
};

const std::vector<Valid>& validLines() {
    static const std::vector<Valid> lines = {
        {"gill", parseGillFrame,
         "\x02Q,229,002.74,M,00,\x03"
         "16\r\n"},
        {"gill", parseGillFrame,
         "\x02Q,,000.04,M,00,\x03"
         "2A\r\n"},
        {"nmea", parseMwvSentence, "$IIMWV,017,R,02.91,N,A*2F\r\n"},
        {"nmea", parseMwvSentence, "$IIMWV,142.0,T,10.00,M,A*3E\r\n"},
    };
    return lines;
}

/// What every parse must be: a frame and no problem, or a problem with a message and no frame; a frame
/// has a speed in range (or NaN if it is a fault) and a direction in [0, 360).
void expectConsistent(const FrameParse& parsed, const std::string& line) {
    if (parsed.frame) {
        EXPECT_EQ(parsed.problem, FrameProblem::None) << quoteText(line);
        EXPECT_THAT(parsed.error, IsEmpty()) << quoteText(line);
        const WindFrame& frame = *parsed.frame;
        if (frame.fault) {
            EXPECT_TRUE(std::isnan(frame.speed)) << quoteText(line);
        } else {
            EXPECT_GE(frame.speed, 0.0) << quoteText(line);
            EXPECT_LT(frame.speed, 1e10) << quoteText(line);
        }
        if (frame.direction) {
            EXPECT_GE(*frame.direction, 0.0) << quoteText(line);
            EXPECT_LT(*frame.direction, 360.0) << quoteText(line);
        }
    } else {
        EXPECT_NE(parsed.problem, FrameProblem::None) << quoteText(line);
        EXPECT_THAT(parsed.error, Not(IsEmpty())) << quoteText(line);
    }
}

TEST(WindSonicFrames, EveryTruncationOfAValidLineIsRejectedOrStillTheSameFrame) {
    for (const auto& valid : validLines()) {
        const FrameParse whole = valid.parse(valid.line);
        ASSERT_TRUE(whole.frame) << valid.name << ": " << whole.error;
        for (std::size_t length = 0; length < valid.line.size(); ++length) {
            const std::string line = valid.line.substr(0, length);
            const FrameParse parsed = valid.parse(line);
            expectConsistent(parsed, line);
            // Only the line end may be cut: the checksum covers the rest.
            if (length < valid.line.size() - 2) {
                EXPECT_FALSE(parsed.frame) << quoteText(line);
            }
        }
    }
}

/// Seeded mutations: flipped, inserted, deleted and duplicated bytes, biased towards the bytes that
/// structure a frame. Neither parser may crash, and whatever they return must be consistent.
TEST(WindSonicFrames, MutatedLinesNeverCrashAndAreConsistent) {
    std::mt19937 random(20261124);
    std::uniform_int_distribution<int> byte(0, 255);
    const char interesting[] = {',', '\x02', '\x03', '$', '*', '.', '0', '9', 'F', 'M', '\r', '\n', '\0'};
    for (const auto& valid : validLines()) {
        for (int round = 0; round < 10000; ++round) {
            std::string line = valid.line;
            const int edits = 1 + static_cast<int>(random() % 4);
            for (int edit = 0; edit < edits && !line.empty(); ++edit) {
                const std::size_t at = random() % line.size();
                const char c = random() % 2 ? static_cast<char>(byte(random))
                                            : interesting[random() % sizeof interesting];
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
            expectConsistent(parseGillFrame(line), line);
            expectConsistent(parseMwvSentence(line), line);
        }
    }
}

TEST(WindSonicFrames, RandomBytesNeverCrash) {
    std::mt19937 random(7);
    for (int round = 0; round < 20000; ++round) {
        std::string line(random() % 64, '\0');
        for (char& c : line)
            c = static_cast<char>(random() % 256);
        expectConsistent(parseGillFrame(line), line);
        expectConsistent(parseMwvSentence(line), line);
    }
}

TEST(WindSonicFrames, QuotingEscapesWhatIsNotPrintableAndCutsLongText) {
    EXPECT_EQ(quoteText("\x02Q,229\x03"
                        "16\r\n"),
              "\"\\x02Q,229\\x0316\\r\\n\"");
    EXPECT_EQ(quoteText("a\"b\\c"), "\"a\\\"b\\\\c\"");
    EXPECT_EQ(quoteText("abcdef", 3), "\"abc...\"");
}

}  // namespace
}  // namespace citysense::windsonic
