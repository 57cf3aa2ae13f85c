#include "JsonWriter.h"

#include <Poco/JSON/Stringifier.h>

#include <charconv>
#include <cmath>
#include <cstring>
#include <sstream>

namespace citysense::api {

namespace {

/// The escape of each byte RFC 8259 §7 requires one for; nullptr for the others.
struct Escapes {
    const char* of[256] = {};

    Escapes() {
        static const char* const kControls[0x20] = {
            "\\u0000", "\\u0001", "\\u0002", "\\u0003", "\\u0004", "\\u0005", "\\u0006", "\\u0007",
            "\\b",     "\\t",     "\\n",     "\\u000b", "\\f",     "\\r",     "\\u000e", "\\u000f",
            "\\u0010", "\\u0011", "\\u0012", "\\u0013", "\\u0014", "\\u0015", "\\u0016", "\\u0017",
            "\\u0018", "\\u0019", "\\u001a", "\\u001b", "\\u001c", "\\u001d", "\\u001e", "\\u001f"};
        for (unsigned c = 0; c < 0x20; ++c)
            of[c] = kControls[c];
        of[static_cast<unsigned char>('"')] = "\\\"";
        of[static_cast<unsigned char>('\\')] = "\\\\";
    }
};

const Escapes kEscapes;

/// Whether one of the eight bytes of `word` is a control character, '"' or '\\' (the bit tricks of
/// "Bit Twiddling Hacks": a byte below n, a byte equal to n).
bool needsEscape(std::uint64_t word) {
    constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
    constexpr std::uint64_t kHighs = 0x8080808080808080ULL;
    const auto zeroByte = [](std::uint64_t value) { return (value - kOnes) & ~value & kHighs; };
    const std::uint64_t control = (word - kOnes * 0x20) & ~word & kHighs;
    return (control | zeroByte(word ^ (kOnes * '"')) | zeroByte(word ^ (kOnes * '\\'))) != 0;
}

}  // namespace

void JsonWriter::separate() {
    if (_afterKey) {
        _afterKey = false;
        return;
    }
    if (!_empty.empty()) {
        if (!_empty.back())
            _text += ',';
        _empty.back() = false;
    }
}

void JsonWriter::escaped(std::string_view text) {
    std::size_t plain = 0;  // the start of the bytes not written yet
    const auto escapeAt = [&](std::size_t at) {
        if (const char* escape = kEscapes.of[static_cast<unsigned char>(text[at])]) {
            _text.append(text.data() + plain, at - plain);
            _text += escape;
            plain = at + 1;
        }
    };
    std::size_t at = 0;
    // Eight bytes at a time past those that need no escape, which are nearly all.
    for (; at + 8 <= text.size(); at += 8) {
        std::uint64_t word;
        std::memcpy(&word, text.data() + at, 8);
        if (needsEscape(word)) {
            for (std::size_t byte = at; byte < at + 8; ++byte)
                escapeAt(byte);
        }
    }
    for (; at < text.size(); ++at)
        escapeAt(at);
    _text.append(text.data() + plain, text.size() - plain);
}

JsonWriter& JsonWriter::beginObject() {
    separate();
    _text += '{';
    _empty.push_back(true);
    return *this;
}

JsonWriter& JsonWriter::endObject() {
    _text += '}';
    _empty.pop_back();
    return *this;
}

JsonWriter& JsonWriter::beginArray() {
    separate();
    _text += '[';
    _empty.push_back(true);
    return *this;
}

JsonWriter& JsonWriter::endArray() {
    _text += ']';
    _empty.pop_back();
    return *this;
}

JsonWriter& JsonWriter::key(std::string_view name) {
    string(name);
    _text += ':';
    _afterKey = true;
    return *this;
}

JsonWriter& JsonWriter::string(std::string_view text) {
    return string({text});
}

JsonWriter& JsonWriter::string(std::initializer_list<std::string_view> pieces) {
    separate();
    _text += '"';
    for (const std::string_view piece : pieces)
        escaped(piece);
    _text += '"';
    return *this;
}

JsonWriter& JsonWriter::escapedString(std::initializer_list<std::string_view> pieces) {
    separate();
    _text += '"';
    for (const std::string_view piece : pieces)
        _text += piece;
    _text += '"';
    return *this;
}

std::string JsonWriter::escape(std::string_view text) {
    JsonWriter out;
    out.escaped(text);
    return out.take();
}

std::string_view JsonWriter::numberText(double value, NumberText& text) {
    if (!std::isfinite(value))
        return "null";
    const auto end = std::to_chars(text.data(), text.data() + text.size(), value).ptr;
    return {text.data(), static_cast<std::size_t>(end - text.data())};
}

JsonWriter& JsonWriter::number(double value) {
    NumberText text;
    return raw(numberText(value, text));
}

JsonWriter& JsonWriter::integer(std::int64_t value) {
    separate();
    char digits[24];
    const auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
    _text.append(digits, end);
    return *this;
}

JsonWriter& JsonWriter::boolean(bool value) {
    return raw(value ? "true" : "false");
}

JsonWriter& JsonWriter::null() {
    return raw("null");
}

JsonWriter& JsonWriter::poco(const Poco::Dynamic::Var& value) {
    std::ostringstream out;
    Poco::JSON::Stringifier::stringify(value, out);
    return raw(out.str());
}

JsonWriter& JsonWriter::members(const Poco::JSON::Object::Ptr& object) {
    std::ostringstream out;
    object->stringify(out);
    const std::string text = out.str();  // "{...}"
    if (text.size() > 2) {
        separate();
        _text.append(text, 1, text.size() - 2);
    }
    return *this;
}

JsonWriter& JsonWriter::raw(std::string_view json) {
    separate();
    _text += json;
    return *this;
}

}  // namespace citysense::api
