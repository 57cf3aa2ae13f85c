#include <payload/JsonReader.h>

#include <payload/Quality.h>

#include <citysense/Format.h>

#include <rapidjson/error/en.h>

namespace citysense::payload {

namespace {

// The code of the "\uXXXX" escape at `pos` (its backslash), or -1.
long unicodeEscapeAt(std::string_view text, std::size_t pos) {
    if (pos + 6 > text.size() || text[pos] != '\\' || text[pos + 1] != 'u')
        return -1;
    long code = 0;
    for (std::size_t i = pos + 2; i < pos + 6; ++i) {
        const char c = text[i];
        if (c >= '0' && c <= '9')
            code = code * 16 + (c - '0');
        else if (c >= 'a' && c <= 'f')
            code = code * 16 + (c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            code = code * 16 + (c - 'A' + 10);
        else
            return -1;
    }
    return code;
}

bool isLowSurrogate(long code) {
    return code >= 0xdc00 && code <= 0xdfff;
}

// Where the value that RapidJSON stopped in at `offset` began: it reports a bad literal ("tru")
// after the letters it took, and a number that stops short ("1.", "-") after its last character.
std::size_t valueStart(std::string_view text, std::size_t offset, std::string_view characters) {
    while (offset > 0 && characters.find(text[offset - 1]) != std::string_view::npos)
        --offset;
    return offset;
}

std::string badJson(std::string_view text, const char* format, std::size_t pos, const char* expected) {
    const std::string found =
        pos < text.size() ? quoteText(text.substr(pos), 20) : std::string("the end of the payload");
    return std::string(format) + ": bad JSON at byte " + std::to_string(pos) + ": expected " + expected +
           ", found " + found;
}

}  // namespace

std::string describe(const JsonValue& value) {
    switch (value.kind) {
        case JsonValue::Kind::String:
            return "a string (" + quoteText(value.text, 40) + ")";
        case JsonValue::Kind::Number:
            return "a number (" + std::string(value.text.substr(0, 40)) + ")";
        case JsonValue::Kind::True:
            return "true";
        case JsonValue::Kind::False:
            return "false";
        case JsonValue::Kind::Null:
            return "null";
        case JsonValue::Kind::Array:
            return "an array";
        case JsonValue::Kind::Object:
            return "an object";
    }
    return "a value";
}

std::string Where::text() const {
    return record == 0 ? std::string(format) : std::string(format) + " record " + std::to_string(record);
}

std::string Where::field(std::string_view name) const {
    return text() + ": '" + std::string(name) + "'";
}

double numberField(const JsonValue& value, const Where& where, std::string_view name) {
    if (value.kind != JsonValue::Kind::Number)
        throw PayloadError(where.field(name) + " is " + describe(value) + ", not a number");
    double number = 0;
    if (!toDouble(value.text, number))
        throw PayloadError(where.field(name) + " " + quoteText(value.text, 40) + " is out of range");
    return number;
}

std::string_view stringField(const JsonValue& value, const Where& where, std::string_view name) {
    if (value.kind != JsonValue::Kind::String)
        throw PayloadError(where.field(name) + " is " + describe(value) + ", not a string");
    return value.text;
}

std::uint16_t qualityElement(const JsonValue& value, const Where& where) {
    const std::string_view name = stringField(value, where, "quality");
    const auto flag = qualityFlag(name);
    if (!flag)
        throw PayloadError(where.text() + ": unknown quality " + quoteText(name, 40) +
                           " (known: " + knownQualities() + ")");
    return *flag;
}

void expectStart(std::string_view text, const char* format, char first, const char* expected) {
    std::size_t pos = 0;
    while (pos < text.size() && isSpace(text[pos]))
        ++pos;
    if (pos == text.size() || text[pos] != first)
        throw PayloadError(badJson(text, format, pos, expected));
}

void refuseLoneSurrogate(std::string_view text, const char* format, std::size_t end,
                         std::string_view decoded) {
    // A surrogate decodes to 0xed 0xa0..0xbf; RapidJSON pairs the high ones, so this is a low one.
    const auto lone = [&] {
        for (std::size_t i = decoded.find('\xed'); i != std::string_view::npos;
             i = decoded.find('\xed', i + 1)) {
            if (i + 1 < decoded.size() && static_cast<unsigned char>(decoded[i + 1]) >= 0xa0)
                return true;
        }
        return false;
    };
    if (decoded.find('\xed') == std::string_view::npos || !lone())
        return;
    // The string's opening quote is the last one before `end` - 1 that no backslash escapes.
    std::size_t open = end - 1;
    for (;;) {
        open = text.rfind('"', open - 1);
        std::size_t backslashes = 0;
        while (open > backslashes && text[open - backslashes - 1] == '\\')
            ++backslashes;
        if (backslashes % 2 == 0)
            break;
    }
    for (std::size_t pos = open + 1; pos < end;) {
        if (text[pos] != '\\') {
            ++pos;
            continue;
        }
        const long code = unicodeEscapeAt(text, pos);
        if (isLowSurrogate(code))
            throw PayloadError(badJson(text, format, pos, "a character, not half of a surrogate pair"));
        pos += code >= 0xd800 && code <= 0xdbff ? 12 : code >= 0 ? 6 : 2;
    }
}

PayloadError syntaxError(std::string_view text, const char* format, rapidjson::ParseErrorCode code,
                         std::size_t offset) {
    const auto bad = [&](std::size_t pos, const char* expected) {
        return PayloadError(badJson(text, format, pos, expected));
    };
    const char* const controlCharacter = "a string character (control characters must be escaped)";
    switch (code) {
        case rapidjson::kParseErrorObjectMissName:
            return bad(offset, "a member name");
        case rapidjson::kParseErrorObjectMissColon:
            return bad(offset, "':'");
        case rapidjson::kParseErrorObjectMissCommaOrCurlyBracket:
            return bad(offset, "',' or '}'");
        case rapidjson::kParseErrorArrayMissCommaOrSquareBracket:
            return bad(offset, "',' or ']'");
        case rapidjson::kParseErrorDocumentRootNotSingular:
            return bad(offset, "the end of the payload");
        case rapidjson::kParseErrorValueInvalid:
            if (offset > 0 && text[offset - 1] == '-')
                return bad(offset - 1, "a number");
            return bad(valueStart(text, offset, "abcdefghijklmnopqrstuvwxyz"), "a value");
        case rapidjson::kParseErrorNumberMissFraction:
        case rapidjson::kParseErrorNumberMissExponent:
            return bad(valueStart(text, offset, "0123456789+-.eE"), "a number");
        case rapidjson::kParseErrorNumberTooBig:
            return PayloadError(std::string(format) + ": number " +
                                quoteText(text.substr(offset, numberLength(text.substr(offset))), 40) +
                                " at byte " + std::to_string(offset) + " is out of range");
        case rapidjson::kParseErrorStringMissQuotationMark:
            return offset < text.size() ? bad(offset, controlCharacter) : bad(offset, "the end of a string");
        case rapidjson::kParseErrorStringEscapeInvalid:
            if (text[offset] != '\\')
                return bad(offset, controlCharacter);
            return bad(offset, "an escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)");
        case rapidjson::kParseErrorStringUnicodeEscapeInvalidHex:
            // RapidJSON names the first escape of a pair when the second one is bad.
            return bad(unicodeEscapeAt(text, offset) >= 0 ? offset + 6 : offset, "four hex digits after \\u");
        case rapidjson::kParseErrorStringUnicodeSurrogateInvalid:
            return bad(offset + 6, "the second half of a surrogate pair");
        case rapidjson::kParseErrorStringInvalidEncoding:
            return bad(offset, "UTF-8 text");
        default:
            return PayloadError(std::string(format) + ": bad JSON at byte " + std::to_string(offset) + ": " +
                                rapidjson::GetParseError_En(code));
    }
}

}  // namespace citysense::payload
