#include "QueryString.h"

#include "QueryError.h"

#include <algorithm>

namespace citysense::api {
namespace {

int hexDigit(char c) {
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/// Percent-decodes `raw`; errors name `option` (the parameter's name, or the raw name while the name
/// itself is being decoded).
std::string decode(std::string_view raw, const std::string& option) {
    std::string out;
    out.reserve(raw.size());
    for (std::size_t i = 0; i < raw.size(); ++i) {
        if (raw[i] == '+') {
            out += ' ';
        } else if (raw[i] != '%') {
            out += raw[i];
        } else {
            const int high = i + 1 < raw.size() ? hexDigit(raw[i + 1]) : -1;
            const int low = i + 2 < raw.size() ? hexDigit(raw[i + 2]) : -1;
            if (high < 0 || low < 0)
                throw QueryError(option, i, "'%' must be followed by two hexadecimal digits");
            out += static_cast<char>(high * 16 + low);
            i += 2;
        }
    }
    return out;
}

/// The length of the UTF-8 sequence at `text[i]`, or 0 when it is not one (overlong forms, surrogates
/// and code points beyond U+10FFFF included).
std::size_t sequenceLength(std::string_view text, std::size_t i) {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
    const unsigned char first = byte(i);
    if (first < 0x80)
        return 1;
    std::size_t length = 0;
    unsigned char low = 0x80, high = 0xBF;  // the range of the second byte
    if (first >= 0xC2 && first <= 0xDF) {
        length = 2;
    } else if (first >= 0xE0 && first <= 0xEF) {
        length = 3;
        low = first == 0xE0 ? 0xA0 : 0x80;
        high = first == 0xED ? 0x9F : 0xBF;
    } else if (first >= 0xF0 && first <= 0xF4) {
        length = 4;
        low = first == 0xF0 ? 0x90 : 0x80;
        high = first == 0xF4 ? 0x8F : 0xBF;
    } else {
        return 0;
    }
    if (i + length > text.size() || byte(i + 1) < low || byte(i + 1) > high)
        return 0;
    for (std::size_t k = 2; k < length; ++k)
        if (byte(i + k) < 0x80 || byte(i + k) > 0xBF)
            return 0;
    return length;
}

/// Refuses what is not UTF-8 text or holds a control character (tab aside).
void checkText(std::string_view text, const std::string& option) {
    for (std::size_t i = 0; i < text.size();) {
        const auto c = static_cast<unsigned char>(text[i]);
        if ((c < 0x20 && c != '\t') || c == 0x7F)
            throw QueryError(option, i, "control character");
        const std::size_t length = sequenceLength(text, i);
        if (length == 0)
            throw QueryError(option, i, "not UTF-8 text");
        i += length;
    }
}

}  // namespace

std::vector<QueryParameter> splitQueryString(std::string_view query) {
    std::vector<QueryParameter> parameters;
    std::size_t start = 0;
    while (start <= query.size()) {
        const std::size_t end = std::min(query.find('&', start), query.size());
        const std::string_view piece = query.substr(start, end - start);
        if (!piece.empty()) {
            const std::size_t equals = piece.find('=');
            const std::string rawName(piece.substr(0, equals));
            QueryParameter parameter;
            parameter.name = decode(rawName, rawName);
            checkText(parameter.name, rawName);
            if (parameter.name.empty())
                throw QueryError("query string", start, "a parameter without a name");
            if (equals != std::string_view::npos)
                parameter.value = decode(piece.substr(equals + 1), parameter.name);
            if (parameter.value.size() > kMaxValueBytes)
                throw QueryError(parameter.name, kMaxValueBytes,
                                 "longer than " + std::to_string(kMaxValueBytes) + " bytes");
            checkText(parameter.value, parameter.name);
            parameters.push_back(std::move(parameter));
        }
        start = end + 1;
    }
    return parameters;
}

}  // namespace citysense::api
