// Format names, telling formats apart, and the limits on one payload (core/payload/Payload.cpp).
#include "PayloadTestSupport.h"

#include <gtest/gtest.h>

namespace citysense {
namespace {

using namespace payloadtest;
using test::errorOf;

TEST(PayloadFormat, NamesRoundTripAndUnknownNamesAreListed) {
    for (const auto format :
         {PayloadFormat::Tsv, PayloadFormat::Json, PayloadFormat::Senml, PayloadFormat::Auto})
        EXPECT_EQ(payloadFormatByName(payloadFormatName(format)), format);
    EXPECT_EQ(errorOf([] { payloadFormatByName("xml"); }),
              "'xml' is not a payload format (tsv, json, senml, auto)");
}

TEST(Payload, AutoTellsTheFormatsApart) {
    EXPECT_EQ(decodeOne("2026-11-24 10:00:00.123456\t28.91", PayloadFormat::Auto).time, kTime);
    EXPECT_EQ(decodeOne(R"( {"value":2,"time":"2026-11-24T10:00:00.123456Z"})", PayloadFormat::Auto).value,
              2);
    EXPECT_EQ(decodeOne("\n [{\"v\":3,\"bt\":1795514400.123456}]", PayloadFormat::Auto).value, 3);
    EXPECT_EQ(decodeError("hello", PayloadFormat::Auto), "tsv: no tab between time and value in \"hello\"");
    EXPECT_EQ(decodeError("{", PayloadFormat::Auto),
              "json: bad JSON at byte 1: expected a member name, found the end of the payload");
}

TEST(Payload, WorkIsBounded) {
    const std::string big(256 * 1024 + 1, ' ');
    EXPECT_EQ(decodeError(big, PayloadFormat::Tsv),
              "tsv: payload of 262145 bytes is over the limit of 262144");
    EXPECT_EQ(decodeError("[" + big, PayloadFormat::Auto),
              "senml: payload of 262146 bytes is over the limit of "
              "262144");

    const std::string time = R"("time":"2026-11-24T10:00:00Z")";
    EXPECT_EQ(decodeOne(R"({"value":1,)" + time + R"(,"x":[[[[[[[1]]]]]]]})", PayloadFormat::Json).value, 1);
    EXPECT_EQ(decodeError(R"({"value":1,)" + time + R"(,"x":[[[[[[[[1]]]]]]]]})", PayloadFormat::Json),
              "json: nested deeper than 8 levels at byte 52");
    EXPECT_EQ(decodeError(std::string(100000, '[') + std::string(100000, ']'), PayloadFormat::Senml),
              "senml record 1 is an array, not an object");

    std::string pack = "[";
    for (int i = 0; i < 9999; ++i)
        pack += R"({"v":1},)";
    EXPECT_EQ(decodePayload("t", pack + R"({"v":2}])", PayloadFormat::Senml).size(), 10000u);
    EXPECT_EQ(decodeError(pack + R"({"v":1},{"v":2}])", PayloadFormat::Senml),
              "senml: more than 10000 records");
}

}  // namespace
}  // namespace citysense
