// JSON text written as it is produced, into the string that becomes a response's body: no object tree
// per value (a Poco::JSON::Object per Observation, stringified character by character through an
// ostream, cost ten times the query of a page). Strings are escaped as RFC 8259 §7 requires (quote,
// backslash and control characters; UTF-8 passes through), numbers are the shortest text that reads
// back as the same double, and a NaN or infinity, which JSON lacks, is null.
#pragma once

#include <Poco/JSON/Object.h>

#include <array>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace citysense::api {

class JsonWriter {
public:
    /// Commas between values and members are the writer's: callers only open, name and close.
    JsonWriter& beginObject();
    JsonWriter& endObject();
    JsonWriter& beginArray();
    JsonWriter& endArray();
    /// A member's name; its value follows.
    JsonWriter& key(std::string_view name);

    JsonWriter& string(std::string_view text);
    /// One string of several pieces, e.g. a link: {root, "/Things(", id, ")"}.
    JsonWriter& string(std::initializer_list<std::string_view> pieces);
    /// One string of pieces that are a JSON string's text already: escaped (escape()), or with nothing
    /// to escape (digits, a time, a literal of the program). Written as they are.
    JsonWriter& escapedString(std::initializer_list<std::string_view> pieces);
    JsonWriter& number(double value);
    JsonWriter& integer(std::int64_t value);
    JsonWriter& boolean(bool value);
    JsonWriter& null();
    /// A value built with Poco::JSON (an object, an array), as Poco writes it.
    JsonWriter& poco(const Poco::Dynamic::Var& value);
    /// The members of `object`, as Poco writes them, into the object open here.
    JsonWriter& members(const Poco::JSON::Object::Ptr& object);
    /// A value that is JSON text already.
    JsonWriter& raw(std::string_view json);
    /// Members that are JSON text already ("\"a\":1,\"b\":2"), `length` bytes that `write(char* at)`
    /// writes in place, into the object open here: a page's thousand Observations without a call per
    /// piece or a copy.
    template <typename Write>
    JsonWriter& membersInPlace(std::size_t length, Write&& write) {
        if (length == 0)
            return *this;
        separate();
        const std::size_t at = _text.size();
        _text.resize(at + length);
        write(_text.data() + at);
        return *this;
    }

    /// Room for `bytes` of text, so that a page of a thousand entities is not copied while it grows.
    void reserve(std::size_t bytes) { _text.reserve(bytes); }

    /// `text` as it is written between the quotes of a JSON string.
    static std::string escape(std::string_view text);

    /// Room for number()'s text.
    using NumberText = std::array<char, 32>;
    /// number()'s text of `value`, written into `text`: the shortest that reads back as the same
    /// double, or null.
    static std::string_view numberText(double value, NumberText& text);

    /// The text so far; whole once every object and array begun has ended.
    const std::string& text() const { return _text; }
    std::string take() { return std::move(_text); }

private:
    /// Writes the comma a value needs before it, unless it is the first of its container or a
    /// member's value.
    void separate();
    void escaped(std::string_view text);

    std::string _text;
    std::vector<bool> _empty;  ///< per open container: nothing written in it yet
    bool _afterKey = false;
};

}  // namespace citysense::api
