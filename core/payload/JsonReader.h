// JSON payloads read with RapidJSON's SAX reader, for the json and senml decoders (this header
// keeps rapidjson out of the others). Strict RFC 8259: the whole payload is checked, members that
// are ignored too, UTF-8 included; numbers are handed over as written, so that times convert
// digit by digit. Errors name the byte and what was expected there:
// `json: bad JSON at byte 12: expected ',' or '}', found "]"`.
#pragma once

#include <payload/Limits.h>
#include <payload/Payload.h>
#include <payload/Text.h>

#include <rapidjson/reader.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace citysense::payload {

/// A value as the reader meets it; for a string (decoded) and a number (as written) its text,
/// valid while the decoder's value() runs.
struct JsonValue {
    enum class Kind { Null, False, True, Number, String, Array, Object };
    Kind kind;
    std::string_view text;
};

/// `a string ("12")`, `a number (5)`, `true`, `null`, `an array`, `an object`.
std::string describe(const JsonValue& value);

/// Where in a payload a decoder is, for its messages: "json", or "senml record 3".
struct Where {
    const char* format;
    std::size_t record = 0;  ///< 1 for the first record of a pack, 0 outside one

    std::string text() const;
    /// `json: 'value'`
    std::string field(std::string_view name) const;
};

/// The number's value; throws when it is not a number or is out of range.
double numberField(const JsonValue& value, const Where& where, std::string_view name);
/// The string; throws when it is not one.
std::string_view stringField(const JsonValue& value, const Where& where, std::string_view name);
/// The flag an element of a "quality" array names; throws when it names none.
std::uint16_t qualityElement(const JsonValue& value, const Where& where);

/// The bytes of a payload as RapidJSON's input stream. Peek() is '\0' past the end, so a payload
/// needs no terminator; a NUL byte inside it is refused like any other stray character.
class JsonStream {
public:
    using Ch = char;

    explicit JsonStream(std::string_view text)
        : _begin(text.data()), _pos(text.data()), _end(text.data() + text.size()) {}

    Ch Peek() const { return _pos != _end ? *_pos : '\0'; }
    Ch Take() { return _pos != _end ? *_pos++ : '\0'; }
    std::size_t Tell() const { return static_cast<std::size_t>(_pos - _begin); }

    // The stream concept's output half, used only for in-place parsing, which we do not do.
    Ch* PutBegin() { return nullptr; }
    void Put(Ch) {}
    void Flush() {}
    std::size_t PutEnd(Ch*) { return 0; }

private:
    const char* _begin;
    const char* _pos;
    const char* _end;
};

/// Throws when the payload, after leading whitespace, does not start with `first`: json needs an
/// object, senml a pack.
void expectStart(std::string_view text, const char* format, char first, const char* expected);

/// Throws a lone "\udc00"-style escape (RapidJSON decodes it; RFC 8259 text has none) in the string
/// that ends before byte `end`, if `decoded` shows one.
void refuseLoneSurrogate(std::string_view text, const char* format, std::size_t end,
                         std::string_view decoded);

/// The PayloadError for RapidJSON's error `code` at `offset`, in the words of this library.
PayloadError syntaxError(std::string_view text, const char* format, rapidjson::ParseErrorCode code,
                         std::size_t offset);

/// RapidJSON's events turned into the calls a decoder answers: key(depth, name) for each member
/// name (when its value starts), value(depth, value) for each value (an array or object when it starts),
/// close(depth) when an array or object ends. `depth` counts the arrays and objects around, the one that
/// closes included; deeper than kMaxDepth is refused.
template <typename Decoder>
class JsonEvents : public rapidjson::BaseReaderHandler<rapidjson::UTF8<>, JsonEvents<Decoder>> {
public:
    using Kind = JsonValue::Kind;

    JsonEvents(Decoder& decoder, std::string_view text, const JsonStream& stream, const char* format)
        : _decoder(decoder), _text(text), _stream(stream), _format(format) {}

    bool Null() { return scalar(Kind::Null, {}); }
    bool Bool(bool value) { return scalar(value ? Kind::True : Kind::False, {}); }
    bool RawNumber(const char* text, rapidjson::SizeType length, bool) {
        return scalar(Kind::Number, {text, length});
    }
    bool String(const char* text, rapidjson::SizeType length, bool) {
        const std::string_view decoded(text, length);
        refuseLoneSurrogate(_text, _format, _stream.Tell(), decoded);
        return scalar(Kind::String, decoded);
    }
    bool Key(const char* text, rapidjson::SizeType length, bool) {
        _key.assign(text, length);
        refuseLoneSurrogate(_text, _format, _stream.Tell(), _key);
        _hasKey = true;
        return true;
    }
    bool StartObject() { return open(Kind::Object); }
    bool EndObject(rapidjson::SizeType) { return close(); }
    bool StartArray() { return open(Kind::Array); }
    bool EndArray(rapidjson::SizeType) { return close(); }

private:
    bool scalar(Kind kind, std::string_view text) {
        memberName();
        _decoder.value(_depth, JsonValue{kind, text});
        return true;
    }

    bool open(Kind kind) {
        memberName();
        _decoder.value(_depth, JsonValue{kind, {}});
        if (++_depth > kMaxDepth)
            throw PayloadError(std::string(_format) + ": nested deeper than " + std::to_string(kMaxDepth) +
                               " levels at byte " + std::to_string(_stream.Tell() - 1));
        return true;
    }

    bool close() {
        _decoder.close(_depth--);
        return true;
    }

    // A member's name goes to the decoder once the ':' after it has been read, as its value starts,
    // so that a syntax error there is reported before whatever the decoder finds wrong with the name.
    void memberName() {
        if (_hasKey) {
            _hasKey = false;
            _decoder.key(_depth, _key);
        }
    }

    Decoder& _decoder;
    std::string_view _text;
    const JsonStream& _stream;
    const char* _format;
    int _depth = 0;
    std::string _key;  ///< the last member name, until its value starts
    bool _hasKey = false;
};

/// Reads all of `text` into `decoder` (see JsonEvents). Throws PayloadError.
template <typename Decoder>
void readJson(std::string_view text, const char* format, Decoder& decoder) {
    JsonStream stream(text);
    JsonEvents<Decoder> events(decoder, text, stream, format);
    // The reader's stack (the text of a string or number while it is read) starts in this buffer,
    // so a payload's strings cost no allocation.
    char buffer[1024];
    rapidjson::MemoryPoolAllocator<> allocator(buffer, sizeof buffer);
    rapidjson::GenericReader<rapidjson::UTF8<>, rapidjson::UTF8<>, rapidjson::MemoryPoolAllocator<>> reader(
        &allocator, 256);
    constexpr unsigned kFlags = rapidjson::kParseValidateEncodingFlag | rapidjson::kParseNumbersAsStringsFlag;
    const rapidjson::ParseResult result = reader.Parse<kFlags>(stream, events);
    if (result.Code() == rapidjson::kParseErrorNumberTooBig) {
        // Beyond a double: a member that wants a number says so by its name, as for 1e-400.
        const std::string_view number = text.substr(result.Offset());
        events.RawNumber(number.data(), static_cast<rapidjson::SizeType>(numberLength(number)), true);
    }
    if (result.IsError())
        throw syntaxError(text, format, result.Code(), result.Offset());
    // A NUL byte after the value reads to RapidJSON as the end of the payload.
    if (stream.Tell() != text.size())
        throw syntaxError(text, format, rapidjson::kParseErrorDocumentRootNotSingular, stream.Tell());
}

}  // namespace citysense::payload
