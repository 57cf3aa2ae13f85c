// The JSON citysense-api writes as it goes: commas and nesting, RFC 8259 escapes, numbers that read
// back as the same double, and what Poco::JSON built (the entities other than Observations) embedded
// as Poco writes it; what it writes parses to what was meant.
#include <JsonWriter.h>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

namespace citysense::api {
namespace {

TEST(JsonWriter, SeparatesValuesAndMembersAndNests) {
    JsonWriter out;
    out.beginObject();
    out.key("a").integer(1);
    out.key("b")
        .beginArray()
        .integer(-2)
        .string("x")
        .boolean(true)
        .null()
        .beginObject()
        .endObject()
        .endArray();
    out.key("c").beginObject().key("d").beginArray().endArray().endObject();
    out.endObject();
    EXPECT_EQ(out.text(), R"({"a":1,"b":[-2,"x",true,null,{}],"c":{"d":[]}})");
}

TEST(JsonWriter, WritesTextEscapedOnceAsItIs) {
    const std::string root = JsonWriter::escape("http://h\"x/v1.1");
    EXPECT_EQ(root, "http://h\\\"x/v1.1");
    JsonWriter out;
    out.beginArray().escapedString({root, "/Observations('", "1-2", "')"}).integer(3).endArray();
    EXPECT_EQ(out.text(), R"js(["http://h\"x/v1.1/Observations('1-2')",3])js");
    const auto parsed = Poco::JSON::Parser().parse(out.text()).extract<Poco::JSON::Array::Ptr>();
    EXPECT_EQ(parsed->getElement<std::string>(0), "http://h\"x/v1.1/Observations('1-2')");
}

TEST(JsonWriter, EscapesQuotesBackslashesAndControlCharactersOnly) {
    JsonWriter out;
    out.string("a\"b\\c/d\n\t\r\b\f\x01\x1f\x7f ü");
    EXPECT_EQ(out.text(), "\"a\\\"b\\\\c/d\\n\\t\\r\\b\\f\\u0001\\u001f\x7f \xc3\xbc\"");
    // Long strings are read eight bytes at a time: an escape in any place of a word, and after it.
    for (std::size_t at = 0; at < 40; ++at) {
        std::string text(40, 'x');
        text[at] = '"';
        JsonWriter one;
        one.beginArray().string(text).endArray();
        const auto parsed = Poco::JSON::Parser().parse(one.text()).extract<Poco::JSON::Array::Ptr>();
        EXPECT_EQ(parsed->getElement<std::string>(0), text) << at;
    }
}

TEST(JsonWriter, StringPiecesAreOneString) {
    JsonWriter out;
    out.string({"http://h/v1.1", "/Things(", "12", ")"});
    EXPECT_EQ(out.text(), "\"http://h/v1.1/Things(12)\"");
}

TEST(JsonWriter, NumbersReadBackAndNonFiniteOnesAreNull) {
    for (const double value : {0.0, 25.0, -3.5, 0.1, 1.0 / 3, 1e-7, 6.02214076e23, 1e300}) {
        JsonWriter out;
        out.number(value);
        EXPECT_EQ(std::stod(out.text()), value) << out.text();
    }
    JsonWriter out;
    out.beginArray().number(std::nan("")).number(std::numeric_limits<double>::infinity()).endArray();
    EXPECT_EQ(out.text(), "[null,null]");
    JsonWriter whole;
    whole.integer(std::numeric_limits<std::int64_t>::min());
    EXPECT_EQ(whole.text(), "-9223372036854775808");
}

TEST(JsonWriter, EmbedsWhatPocoBuiltAsPocoWritesIt) {
    Poco::JSON::Object::Ptr object = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    object->set("z", 1);
    object->set("a", "t\"ext");
    Poco::JSON::Array::Ptr array = new Poco::JSON::Array;
    array->add(2.5);
    JsonWriter out;
    out.beginObject().key("first").integer(0).members(object).key("last").poco(array);
    out.members(new Poco::JSON::Object).endObject();  // nothing to add, and no comma
    EXPECT_EQ(out.text(), R"({"first":0,"z":1,"a":"t\"ext","last":[2.5]})");
}

TEST(JsonWriter, MembersWrittenInPlaceFollowTheOthersAfterAComma) {
    const auto write = [](JsonWriter& out, std::string_view members) {
        out.membersInPlace(members.size(), [&](char* at) { members.copy(at, members.size()); });
    };
    JsonWriter out;
    out.beginArray().beginObject();
    write(out, R"("a":1,"b":"x")");
    write(out, "");  // nothing, and no comma
    out.key("c").integer(2);
    write(out, R"("d":[])");
    out.endObject().beginObject();
    write(out, R"("e":3)");
    out.endObject().endArray();
    EXPECT_EQ(out.text(), R"([{"a":1,"b":"x","c":2,"d":[]},{"e":3}])");
}

}  // namespace
}  // namespace citysense::api
