// Reading JSON with RapidJSON (core/payload/JsonReader): what RapidJSON reports, or would let
// through, comes out as this library's messages, naming the byte.
#include "PayloadTestSupport.h"

#include <gtest/gtest.h>

namespace citysense {
namespace {

using namespace payloadtest;

const std::string kTimeMember = R"("time":"2026-11-24T10:00:00Z")";

std::string jsonError(const std::string& payload) {
    return decodeError(payload, PayloadFormat::Json);
}

TEST(JsonReader, ANulByteIsAStrayCharacterNotTheEnd) {
    EXPECT_EQ(jsonError(R"({"value":1,)" + kTimeMember + "}" + std::string(1, '\0')),
              R"(json: bad JSON at byte 41: expected the end of the payload, found "\x00")");
    EXPECT_EQ(jsonError(R"({"value":1,"unit":"a)" + std::string(1, '\0') + R"("})"),
              "json: bad JSON at byte 20: expected a string character (control characters must be escaped), "
              R"(found "\x00\"}")");
}

TEST(JsonReader, EscapesMustBeWholeCharacters) {
    EXPECT_EQ(jsonError(R"({"value":1,"unit":"a\udc00b"})"),
              R"(json: bad JSON at byte 20: expected a character, not half of a surrogate pair, )"
              R"(found "\\udc00b\"}")");
    EXPECT_EQ(jsonError(R"({"value":1,"unit":"\ud800\uzzzz"})"),
              R"(json: bad JSON at byte 25: expected four hex digits after \u, found "\\uzzzz\"}")");
    EXPECT_EQ(jsonError(R"({"value":1,"unit":"\q"})"),
              R"(json: bad JSON at byte 19: expected an escape (\" \\ \/ \b \f \n \r \t \uXXXX), )"
              R"(found "\\q\"}")");
}

TEST(JsonReader, BadValuesAreNamedWhereTheyStart) {
    EXPECT_EQ(jsonError(R"({"value":-})"), R"(json: bad JSON at byte 9: expected a number, found "-}")");
    EXPECT_EQ(jsonError(R"({"value":1.})"), R"(json: bad JSON at byte 9: expected a number, found "1.}")");
    EXPECT_EQ(jsonError(R"({"value":1e+})"), R"(json: bad JSON at byte 9: expected a number, found "1e+}")");
    EXPECT_EQ(jsonError(R"({"value":tru})"), R"(json: bad JSON at byte 9: expected a value, found "tru}")");
}

TEST(JsonReader, NumbersBeyondADoubleAreRefusedWhereverTheyAre) {
    EXPECT_EQ(jsonError(R"({"value":1,)" + kTimeMember + R"(,"x":[1e400]})"),
              R"(json: number "1e400" at byte 46 is out of range)");
    EXPECT_EQ(decodeError(R"([{"bt":1e400,"v":1}])", PayloadFormat::Senml),
              R"(senml record 1: 'bt' "1e400" is out of range)");
    EXPECT_EQ(decodeError(R"([{"n":1e400,"v":1}])", PayloadFormat::Senml),
              "senml record 1: 'n' is a number (1e400), not a string");
}

}  // namespace
}  // namespace citysense
