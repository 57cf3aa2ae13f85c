// The baseline of citysense-bench-decode: the payload decoders as they were before the codecs moved
// to core/payload and JSON to RapidJSON (core/src/Payload.cpp at 5fcb24d), their hand-written JSON
// reader included, kept unchanged so that the benchmark measures today's decoders against them in
// the same run. Built into the benchmark only; the encoders are left out.
#include "LegacyPayload.h"

#include <citysense/Format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <iterator>
#include <optional>

namespace citysense::legacy {

namespace {

// Bounds on the work one payload can cause: a subscriber reads whatever anyone publishes.
constexpr std::size_t kMaxPayloadBytes = 256 * 1024;
constexpr int kMaxDepth = 8;
constexpr std::size_t kMaxRecords = 10000;

constexpr Micros kMinTime = 0;                                    // 1970-01-01T00:00:00Z
constexpr Micros kMaxTime = 253402300800 * kMicrosPerSecond - 1;  // 9999-12-31T23:59:59.999999Z
// RFC 8428 §4.5.3: a resolved SenML time below 2^28 s is relative to the receiver's "now".
constexpr Micros kRelativeTimeLimit = (Micros{1} << 28) * kMicrosPerSecond;
// Seconds beyond this are out of every range we accept, and their microseconds still fit an int64.
constexpr double kMaxSeconds = 1e12;

[[noreturn]] void fail(const std::string& message) {
    throw PayloadError(message);
}

bool isDigit(char c) {
    return c >= '0' && c <= '9';
}

bool isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

std::string_view trim(std::string_view text) {
    while (!text.empty() && isSpace(text.front()))
        text.remove_prefix(1);
    while (!text.empty() && isSpace(text.back()))
        text.remove_suffix(1);
    return text;
}

// ---- numbers ----

// The length of the JSON number (RFC 8259 §6) at the start of `text`, 0 if there is none.
std::size_t numberLength(std::string_view text) {
    std::size_t i = 0;
    const auto digits = [&] {
        const std::size_t start = i;
        while (i < text.size() && isDigit(text[i]))
            ++i;
        return i - start;
    };
    if (i < text.size() && text[i] == '-')
        ++i;
    if (i < text.size() && text[i] == '0')
        ++i;
    else if (digits() == 0)
        return 0;
    if (i < text.size() && text[i] == '.') {
        ++i;
        if (digits() == 0)
            return 0;
    }
    if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
        ++i;
        if (i < text.size() && (text[i] == '+' || text[i] == '-'))
            ++i;
        if (digits() == 0)
            return 0;
    }
    return i;
}

// The double a number's text (as numberLength() accepts it) stands for; false when it is too large.
bool toDouble(std::string_view number, double& value) {
    const auto result = std::from_chars(number.data(), number.data() + number.size(), value);
    return result.ec == std::errc() && result.ptr == number.data() + number.size() && std::isfinite(value);
}

// Seconds as a JSON number writes them, in microseconds rounded half away from zero. Plain decimals
// are converted digit by digit: near 2^31 s a double is only good to a quarter of a microsecond, and
// near 9999 to 30 µs, so "1795514400.123456" must not go through one.
bool secondsToMicros(std::string_view number, double value, Micros& micros) {
    if (std::fabs(value) > kMaxSeconds)
        return false;
    if (number.find_first_of("eE") != std::string_view::npos) {
        micros = static_cast<Micros>(std::llround(value * kMicrosPerSecond));
        return true;
    }
    const bool negative = number.front() == '-';
    if (negative)
        number.remove_prefix(1);
    Micros magnitude = 0;
    std::size_t i = 0;
    for (; i < number.size() && number[i] != '.'; ++i)
        magnitude = magnitude * 10 + (number[i] - '0');  // at most 13 digits: |value| <= 1e12
    magnitude *= kMicrosPerSecond;
    Micros scale = kMicrosPerSecond;
    for (++i; i < number.size(); ++i) {
        if (scale == 1) {
            if (number[i] >= '5')
                ++magnitude;
            break;
        }
        scale /= 10;
        magnitude += (number[i] - '0') * scale;
    }
    micros = negative ? -magnitude : magnitude;
    return true;
}

// "1795514400.123456" (all six decimals) or, trimmed, "-1.5" and "60".
std::string formatSeconds(Micros micros, bool allDecimals) {
    const bool negative = micros < 0;
    const auto magnitude =
        negative ? 0 - static_cast<std::uint64_t>(micros) : static_cast<std::uint64_t>(micros);
    std::string text = (negative ? "-" : "") + std::to_string(magnitude / kMicrosPerSecond);
    std::string fraction = std::to_string(magnitude % kMicrosPerSecond);
    fraction.insert(0, 6 - fraction.size(), '0');
    if (!allDecimals) {
        while (!fraction.empty() && fraction.back() == '0')
            fraction.pop_back();
    }
    if (!fraction.empty())
        text += "." + fraction;
    return text;
}

// ---- times ----

bool isLeapYear(int year) {
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int daysInMonth(int year, int month) {
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return month == 2 && isLeapYear(year) ? 29 : days[month - 1];
}

// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's days_from_civil).
std::int64_t daysFromCivil(int year, int month, int day) {
    year -= month <= 2;
    const int era = (year >= 0 ? year : year - 399) / 400;
    const int yearOfEra = year - era * 400;
    const int dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    const int dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
    return std::int64_t{era} * 146097 + dayOfEra - 719468;
}

// The number of `count` digits at `pos`, or -1.
int digitsAt(std::string_view text, std::size_t pos, std::size_t count) {
    if (pos + count > text.size())
        return -1;
    int value = 0;
    for (std::size_t i = pos; i < pos + count; ++i) {
        if (!isDigit(text[i]))
            return -1;
        value = value * 10 + (text[i] - '0');
    }
    return value;
}

// Reads "YYYY-MM-DD<separator>HH:MM:SS[.f]" (0 to 6 fraction digits) at the start of `text` and
// returns how many characters it took, 0 when it is no such date and time.
std::size_t readDateTime(std::string_view text, char separator, Micros& time) {
    if (text.size() < 19 || text[4] != '-' || text[7] != '-' || text[10] != separator || text[13] != ':' ||
        text[16] != ':')
        return 0;
    const int year = digitsAt(text, 0, 4);
    const int month = digitsAt(text, 5, 2);
    const int day = digitsAt(text, 8, 2);
    const int hour = digitsAt(text, 11, 2);
    const int minute = digitsAt(text, 14, 2);
    const int second = digitsAt(text, 17, 2);
    if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour < 0 ||
        hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59)
        return 0;
    std::size_t used = 19;
    Micros fraction = 0;
    if (used < text.size() && text[used] == '.') {
        ++used;
        Micros scale = kMicrosPerSecond;
        while (used < text.size() && isDigit(text[used])) {
            if (scale == 1)
                return 0;  // more than six digits
            scale /= 10;
            fraction += (text[used] - '0') * scale;
            ++used;
        }
        if (used == 20)
            return 0;
    }
    const std::int64_t seconds = daysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second;
    time = seconds * kMicrosPerSecond + fraction;
    return used;
}

// ISO 8601 / RFC 3339: "2026-11-24T10:00:00.123456Z"; an offset such as "+01:00" is converted to UTC.
std::optional<Micros> parseIsoTime(std::string_view text) {
    Micros time = 0;
    const std::size_t used = readDateTime(text, 'T', time);
    if (used == 0)
        return std::nullopt;
    const std::string_view zone = text.substr(used);
    if (zone == "Z")
        return time;
    if (zone.size() != 6 || (zone[0] != '+' && zone[0] != '-') || zone[3] != ':')
        return std::nullopt;
    const int hours = digitsAt(zone, 1, 2);
    const int minutes = digitsAt(zone, 4, 2);
    if (hours < 0 || hours > 23 || minutes < 0 || minutes > 59)
        return std::nullopt;
    const Micros offset = (hours * 3600 + minutes * 60) * kMicrosPerSecond;
    return zone[0] == '+' ? time - offset : time + offset;
}

bool inTimeRange(Micros time) {
    return time >= kMinTime && time <= kMaxTime;
}

// ---- quality ----

// The inverse of qualityNames(), built from it so the two cannot drift apart.
std::optional<std::uint16_t> qualityFlag(const std::string& name) {
    static const std::vector<std::pair<std::string, std::uint16_t>> flags = [] {
        std::vector<std::pair<std::string, std::uint16_t>> table{{"ok", QualityOk}};
        for (int bit = 0; bit < 16; ++bit) {
            const auto flag = static_cast<std::uint16_t>(1u << bit);
            const auto names = qualityNames(flag);
            if (names.size() == 1 && names.front() != "ok")
                table.emplace_back(names.front(), flag);
        }
        return table;
    }();
    for (const auto& [flagName, flag] : flags) {
        if (flagName == name)
            return flag;
    }
    return std::nullopt;
}

std::string knownQualities() {
    std::string names = "ok";
    for (int bit = 0; bit < 16; ++bit) {
        const auto flag = static_cast<std::uint16_t>(1u << bit);
        const auto found = qualityNames(flag);
        if (found.size() == 1 && found.front() != "ok")
            names += ", " + found.front();
    }
    return names;
}

// ---- JSON ----

// The length of the UTF-8 sequence at the start of `text` (RFC 3629: no overlong forms, no
// surrogates, nothing above U+10FFFF), 0 if there is none.
std::size_t utf8Length(std::string_view text) {
    const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
    const unsigned char lead = byte(0);
    if (lead < 0x80)
        return 1;
    std::size_t length = 0;
    unsigned char low = 0x80;
    unsigned char high = 0xbf;
    if (lead >= 0xc2 && lead <= 0xdf) {
        length = 2;
    } else if (lead >= 0xe0 && lead <= 0xef) {
        length = 3;
        low = lead == 0xe0 ? 0xa0 : 0x80;
        high = lead == 0xed ? 0x9f : 0xbf;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
        length = 4;
        low = lead == 0xf0 ? 0x90 : 0x80;
        high = lead == 0xf4 ? 0x8f : 0xbf;
    } else {
        return 0;
    }
    if (text.size() < length || byte(1) < low || byte(1) > high)
        return 0;
    for (std::size_t i = 2; i < length; ++i) {
        if ((byte(i) & 0xc0) != 0x80)
            return 0;
    }
    return length;
}

void appendUtf8(std::string& out, std::uint32_t code) {
    if (code < 0x80) {
        out += static_cast<char>(code);
    } else if (code < 0x800) {
        out += static_cast<char>(0xc0 | (code >> 6));
        out += static_cast<char>(0x80 | (code & 0x3f));
    } else if (code < 0x10000) {
        out += static_cast<char>(0xe0 | (code >> 12));
        out += static_cast<char>(0x80 | ((code >> 6) & 0x3f));
        out += static_cast<char>(0x80 | (code & 0x3f));
    } else {
        out += static_cast<char>(0xf0 | (code >> 18));
        out += static_cast<char>(0x80 | ((code >> 12) & 0x3f));
        out += static_cast<char>(0x80 | ((code >> 6) & 0x3f));
        out += static_cast<char>(0x80 | (code & 0x3f));
    }
}

struct JsonNumber {
    std::string_view text;
    double value = 0;
    bool inRange = false;
};

// A strict RFC 8259 reader, pulled by the decoders: no tree is built, so a payload costs no more
// memory than the readings in it, and nesting is bounded, so recursion is too.
class JsonReader {
public:
    enum class Kind { Null, Boolean, Number, String, Array, Object };

    JsonReader(std::string_view text, const char* format) : _text(text), _format(format) {}

    [[noreturn]] void syntaxError(const char* expected) const {
        const std::string found =
            _pos < _text.size() ? quoteText(_text.substr(_pos), 20) : std::string("the end of the payload");
        fail(std::string(_format) + ": bad JSON at byte " + std::to_string(_pos) + ": expected " + expected +
             ", found " + found);
    }

    char peek() {
        while (_pos < _text.size() && isSpace(_text[_pos]))
            ++_pos;
        return _pos < _text.size() ? _text[_pos] : '\0';
    }

    bool consume(char c) {
        if (peek() != c || _pos == _text.size())
            return false;
        ++_pos;
        return true;
    }

    void expect(char c, const char* expected) {
        if (!consume(c))
            syntaxError(expected);
    }

    void expectEnd() {
        if (peek() != '\0' || _pos != _text.size())
            syntaxError("the end of the payload");
    }

    Kind kind() {
        const char c = peek();
        if (c == '"')
            return Kind::String;
        if (c == '[')
            return Kind::Array;
        if (c == '{')
            return Kind::Object;
        if (c == 't' || c == 'f')
            return Kind::Boolean;
        if (c == 'n')
            return Kind::Null;
        if (c == '-' || isDigit(c))
            return Kind::Number;
        syntaxError("a value");
    }

    std::string readString() {
        expect('"', "a string");
        std::string out;
        for (;;) {
            if (_pos == _text.size())
                syntaxError("the end of a string");
            const auto c = static_cast<unsigned char>(_text[_pos]);
            if (c == '"') {
                ++_pos;
                return out;
            }
            if (c == '\\') {
                readEscape(out);
                continue;
            }
            if (c < 0x20)
                syntaxError("a string character (control characters must be escaped)");
            const std::size_t length = utf8Length(_text.substr(_pos));
            if (length == 0)
                syntaxError("UTF-8 text");
            out.append(_text.substr(_pos, length));
            _pos += length;
        }
    }

    JsonNumber readNumber() {
        peek();
        const std::size_t length = numberLength(_text.substr(_pos));
        if (length == 0)
            syntaxError("a number");
        JsonNumber number;
        number.text = _text.substr(_pos, length);
        number.inRange = toDouble(number.text, number.value);
        _pos += length;
        return number;
    }

    bool readBoolean() {
        if (readLiteral("true"))
            return true;
        if (readLiteral("false"))
            return false;
        syntaxError("a value");
    }

    void readNull() {
        if (!readLiteral("null"))
            syntaxError("a value");
    }

    /// Calls `item()` at each element of the array at the reader; `depth` is the array's own.
    template <typename Function>
    void readArray(int depth, Function&& item) {
        checkDepth(depth);
        expect('[', "'['");
        if (consume(']'))
            return;
        do {
            item();
        } while (consume(','));
        expect(']', "',' or ']'");
    }

    /// Calls `member(name)` at the value of each member of the object at the reader.
    template <typename Function>
    void readObject(int depth, Function&& member) {
        checkDepth(depth);
        expect('{', "'{'");
        if (consume('}'))
            return;
        do {
            if (peek() != '"')
                syntaxError("a member name");
            const std::string name = readString();
            expect(':', "':'");
            member(name);
        } while (consume(','));
        expect('}', "',' or '}'");
    }

    /// Reads past a value of any kind at `depth`.
    void skipValue(int depth) {
        switch (kind()) {
            case Kind::String:
                readString();
                break;
            case Kind::Number:
                readNumber();
                break;
            case Kind::Boolean:
                readBoolean();
                break;
            case Kind::Null:
                readNull();
                break;
            case Kind::Array:
                readArray(depth, [&] { skipValue(depth + 1); });
                break;
            case Kind::Object:
                readObject(depth, [&](const std::string&) { skipValue(depth + 1); });
                break;
        }
    }

    /// What the value at the reader is, for an error message: `a string ("12")`, `true`, `an array`.
    std::string describe() {
        switch (kind()) {
            case Kind::String:
                return "a string (" + quoteText(readString(), 40) + ")";
            case Kind::Number:
                return "a number (" + std::string(readNumber().text.substr(0, 40)) + ")";
            case Kind::Boolean:
                return readBoolean() ? "true" : "false";
            case Kind::Null:
                return "null";
            case Kind::Array:
                return "an array";
            case Kind::Object:
                return "an object";
        }
        return "a value";
    }

private:
    void checkDepth(int depth) const {
        if (depth > kMaxDepth)
            fail(std::string(_format) + ": nested deeper than " + std::to_string(kMaxDepth) +
                 " levels at byte " + std::to_string(_pos));
    }

    bool readLiteral(std::string_view word) {
        if (_text.substr(_pos, word.size()) != word)
            return false;
        _pos += word.size();
        return true;
    }

    int hexDigit(std::size_t pos) const {
        const char c = pos < _text.size() ? _text[pos] : '\0';
        if (isDigit(c))
            return c - '0';
        if (c >= 'a' && c <= 'f')
            return c - 'a' + 10;
        if (c >= 'A' && c <= 'F')
            return c - 'A' + 10;
        return -1;
    }

    // The four hex digits of a \u escape at the reader, which stands at its backslash.
    std::uint32_t readUnicodeEscape() {
        if (_text.substr(_pos, 2) != "\\u")
            syntaxError("a \\u escape");
        std::uint32_t code = 0;
        for (std::size_t i = _pos + 2; i < _pos + 6; ++i) {
            const int digit = hexDigit(i);
            if (digit < 0)
                syntaxError("four hex digits after \\u");
            code = code * 16 + static_cast<std::uint32_t>(digit);
        }
        _pos += 6;
        return code;
    }

    void readEscape(std::string& out) {
        const char c = _pos + 1 < _text.size() ? _text[_pos + 1] : '\0';
        static const std::pair<char, char> simple[] = {{'"', '"'},  {'\\', '\\'}, {'/', '/'},  {'b', '\b'},
                                                       {'f', '\f'}, {'n', '\n'},  {'r', '\r'}, {'t', '\t'}};
        for (const auto& [escape, character] : simple) {
            if (c == escape) {
                out += character;
                _pos += 2;
                return;
            }
        }
        if (c != 'u')
            syntaxError("an escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)");
        std::uint32_t code = readUnicodeEscape();
        if (code >= 0xdc00 && code <= 0xdfff) {
            _pos -= 6;
            syntaxError("a character, not half of a surrogate pair");
        }
        if (code >= 0xd800 && code <= 0xdbff) {
            if (_text.substr(_pos, 2) != "\\u")
                syntaxError("the second half of a surrogate pair");
            const std::uint32_t low = readUnicodeEscape();
            if (low < 0xdc00 || low > 0xdfff) {
                _pos -= 6;
                syntaxError("the second half of a surrogate pair");
            }
            code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
        }
        appendUtf8(out, code);
    }

    std::string_view _text;
    const char* _format;
    std::size_t _pos = 0;
};

std::string field(const std::string& where, const std::string& name) {
    return where + ": '" + name + "'";
}

JsonNumber readNumberField(JsonReader& reader, const std::string& where, const std::string& name) {
    if (reader.kind() != JsonReader::Kind::Number)
        fail(field(where, name) + " is " + reader.describe() + ", not a number");
    const JsonNumber number = reader.readNumber();
    if (!number.inRange)
        fail(field(where, name) + " " + quoteText(number.text, 40) + " is out of range");
    return number;
}

std::string readStringField(JsonReader& reader, const std::string& where, const std::string& name) {
    if (reader.kind() != JsonReader::Kind::String)
        fail(field(where, name) + " is " + reader.describe() + ", not a string");
    return reader.readString();
}

std::uint16_t readQualityField(JsonReader& reader, const std::string& where, int depth) {
    if (reader.kind() != JsonReader::Kind::Array)
        fail(field(where, "quality") + " is " + reader.describe() + ", not an array of names");
    std::uint16_t quality = QualityOk;
    reader.readArray(depth, [&] {
        const std::string name = readStringField(reader, where, "quality");
        const auto flag = qualityFlag(name);
        if (!flag)
            fail(where + ": unknown quality " + quoteText(name, 40) + " (known: " + knownQualities() + ")");
        quality |= *flag;
    });
    return quality;
}

// ---- decoders ----

DecodedReading decodeTsv(std::string_view topic, std::string_view payload) {
    const std::string_view text = trim(payload);
    if (text.empty())
        fail("tsv: empty payload");
    const auto tab = text.find('\t');
    if (tab == std::string_view::npos)
        fail("tsv: no tab between time and value in " + quoteText(text, 60));
    const std::string_view timeText = text.substr(0, tab);
    const std::string_view valueText = text.substr(tab + 1);

    DecodedReading reading;
    reading.name = std::string(topic);
    if (readDateTime(timeText, ' ', reading.time) != timeText.size())
        fail("tsv: bad timestamp " + quoteText(timeText, 40) + " (expected YYYY-MM-DD HH:MM:SS.ffffff, UTC)");
    if (!inTimeRange(reading.time))
        fail("tsv: timestamp " + quoteText(timeText, 40) + " is before 1970");
    if (valueText.empty() || numberLength(valueText) != valueText.size())
        fail("tsv: bad value " + quoteText(valueText, 40) + " (expected a number such as 28.91 or -1.5e-05)");
    if (!toDouble(valueText, reading.value))
        fail("tsv: value " + quoteText(valueText, 40) + " is out of range");
    return reading;
}

DecodedReading decodeJson(std::string_view topic, std::string_view payload) {
    JsonReader reader(payload, "json");
    if (reader.peek() != '{')
        reader.syntaxError("an object");
    DecodedReading reading;
    reading.name = std::string(topic);
    // Known members seen so far: a second one is an error, not a silent choice between the two.
    enum : unsigned { Value = 1, Unit = 2, Time = 4, Quality = 8 };
    unsigned seen = 0;
    const auto once = [&](unsigned member, const std::string& name) {
        if (seen & member)
            fail(field("json", name) + " appears twice");
        seen |= member;
    };
    reader.readObject(1, [&](const std::string& name) {
        if (name == "value") {
            once(Value, name);
            reading.value = readNumberField(reader, "json", name).value;
        } else if (name == "unit") {
            once(Unit, name);
            reading.unit = readStringField(reader, "json", name);
        } else if (name == "time" || name == "timestamp") {
            // "timestamp" as well: the console sink's JSON lines (formatJsonLine()) read back too.
            once(Time, "time");
            const std::string text = readStringField(reader, "json", name);
            const auto time = parseIsoTime(text);
            if (!time)
                fail("json: bad '" + name + "' " + quoteText(text, 40) +
                     " (expected ISO 8601 such as 2026-11-24T10:00:00.123456Z)");
            if (!inTimeRange(*time))
                fail("json: '" + name + "' " + quoteText(text, 40) + " is not between 1970 and 9999");
            reading.time = *time;
        } else if (name == "quality") {
            once(Quality, name);
            reading.quality = readQualityField(reader, "json", 2);
        } else {
            reader.skipValue(2);
        }
    });
    reader.expectEnd();
    if (!(seen & Value))
        fail("json: no 'value'");
    if (!(seen & Time))
        fail("json: no 'time'");
    return reading;
}

// One SenML record as written, before base fields are applied (RFC 8428 §4.1, §4.6).
struct SenmlRecord {
    std::optional<std::string> baseName, baseUnit, name, unit;
    std::optional<Micros> baseTime, time;
    std::optional<double> baseValue, value;
    std::uint16_t quality = QualityOk;
    const char* otherValue = nullptr;  ///< vs, vb, vd or s: a value that is not a number
};

// The fields of RFC 8428 §4.1 and §4.2 and our "quality" extension.
enum class SenmlField { Bn, Bt, Bu, Bv, Bs, Bver, N, U, V, Vs, Vb, Vd, S, T, Ut, Quality, Unknown };

SenmlField senmlField(const std::string& name) {
    static const char* const names[] = {"bn", "bt", "bu", "bv", "bs", "bver", "n",  "u",
                                        "v",  "vs", "vb", "vd", "s",  "t",    "ut", "quality"};
    for (std::size_t i = 0; i < std::size(names); ++i) {
        if (name == names[i])
            return static_cast<SenmlField>(i);
    }
    return SenmlField::Unknown;
}

Micros readSecondsField(JsonReader& reader, const std::string& where, const std::string& name) {
    const JsonNumber number = readNumberField(reader, where, name);
    Micros micros = 0;
    if (!secondsToMicros(number.text, number.value, micros))
        fail(field(where, name) + " " + quoteText(number.text, 40) + " is out of range");
    return micros;
}

SenmlRecord readSenmlRecord(JsonReader& reader, const std::string& where) {
    if (reader.kind() != JsonReader::Kind::Object)
        fail(where + " is " + reader.describe() + ", not an object");
    SenmlRecord record;
    unsigned seen = 0;
    reader.readObject(2, [&](const std::string& name) {
        const SenmlField which = senmlField(name);
        if (which == SenmlField::Unknown) {
            // RFC 8428 §4.4: a field ending in '_' must be understood, or the pack is rejected.
            if (!name.empty() && name.back() == '_')
                fail(where + ": must-understand field " + quoteText(name, 40) + " is not supported");
            reader.skipValue(3);
            return;
        }
        const unsigned bit = 1u << static_cast<unsigned>(which);
        if (seen & bit)
            fail(field(where, name) + " appears twice");
        seen |= bit;
        switch (which) {
            case SenmlField::Bn:
                record.baseName = readStringField(reader, where, name);
                break;
            case SenmlField::Bt:
                record.baseTime = readSecondsField(reader, where, name);
                break;
            case SenmlField::Bu:
                record.baseUnit = readStringField(reader, where, name);
                break;
            case SenmlField::Bv:
                record.baseValue = readNumberField(reader, where, name).value;
                break;
            case SenmlField::N:
                record.name = readStringField(reader, where, name);
                break;
            case SenmlField::U:
                record.unit = readStringField(reader, where, name);
                break;
            case SenmlField::V:
                record.value = readNumberField(reader, where, name).value;
                break;
            case SenmlField::T:
                record.time = readSecondsField(reader, where, name);
                break;
            case SenmlField::Quality:
                record.quality = readQualityField(reader, where, 3);
                break;
            case SenmlField::Vs:
            case SenmlField::Vd:
                readStringField(reader, where, name);
                record.otherValue = name == "vs" ? "vs" : "vd";
                break;
            case SenmlField::Vb:
                if (reader.kind() != JsonReader::Kind::Boolean)
                    fail(field(where, name) + " is " + reader.describe() + ", not true or false");
                reader.readBoolean();
                record.otherValue = "vb";
                break;
            case SenmlField::S:
                readNumberField(reader, where, name);
                record.otherValue = "s";
                break;
            case SenmlField::Bs:
            case SenmlField::Bver:
            case SenmlField::Ut:
                readNumberField(reader, where, name);
                break;
            case SenmlField::Unknown:
                break;
        }
    });
    return record;
}

std::vector<DecodedReading> decodeSenml(std::string_view topic, std::string_view payload) {
    JsonReader reader(payload, "senml");
    if (reader.peek() != '[')
        reader.syntaxError("a pack (an array of records)");
    // Base fields apply to their own record and every later one, until replaced (RFC 8428 §4.1).
    std::string baseName;
    std::string baseUnit;
    Micros baseTime = 0;
    std::optional<double> baseValue;
    // One "now" for the pack, so that its relative times keep their order.
    const Micros now = nowMicros();
    std::vector<DecodedReading> readings;
    reader.readArray(1, [&] {
        if (readings.size() == kMaxRecords)
            fail("senml: more than " + std::to_string(kMaxRecords) + " records");
        const std::string where = "senml record " + std::to_string(readings.size() + 1);
        SenmlRecord record = readSenmlRecord(reader, where);
        if (record.baseName)
            baseName = std::move(*record.baseName);
        if (record.baseUnit)
            baseUnit = std::move(*record.baseUnit);
        if (record.baseTime)
            baseTime = *record.baseTime;
        if (record.baseValue)
            baseValue = record.baseValue;
        if (!record.value) {
            if (record.otherValue)
                fail(where + ": no numeric value ('" + record.otherValue + "' is not read, only 'v')");
            fail(where + ": no value");
        }

        DecodedReading reading;
        reading.name = baseName + record.name.value_or("");
        if (reading.name.empty())
            reading.name = std::string(topic);
        // Adding a zero base value would turn -0 into +0.
        reading.value = baseValue ? *baseValue + *record.value : *record.value;
        if (!std::isfinite(reading.value))
            fail(where + ": 'bv' + 'v' is not a finite number");
        reading.time = baseTime + record.time.value_or(0);
        if (reading.time < kRelativeTimeLimit)
            reading.time += now;
        if (!inTimeRange(reading.time))
            fail(where + ": time " + formatSeconds(reading.time, false) + " s is not between 1970 and 9999");
        reading.unit = record.unit ? std::move(*record.unit) : baseUnit;
        reading.quality = record.quality;
        readings.push_back(std::move(reading));
    });
    reader.expectEnd();
    return readings;
}

}  // namespace

std::vector<DecodedReading> decodePayload(std::string_view topic, std::string_view payload,
                                          PayloadFormat format) {
    if (format == PayloadFormat::Auto) {
        const std::string_view start = trim(payload.substr(0, kMaxPayloadBytes));
        const char first = start.empty() ? '\0' : start.front();
        format = first == '['   ? PayloadFormat::Senml
                 : first == '{' ? PayloadFormat::Json
                                : PayloadFormat::Tsv;
    }
    if (payload.size() > kMaxPayloadBytes)
        fail(std::string(payloadFormatName(format)) + ": payload of " + std::to_string(payload.size()) +
             " bytes is over the limit of " + std::to_string(kMaxPayloadBytes));
    if (format == PayloadFormat::Tsv)
        return {decodeTsv(topic, payload)};
    if (format == PayloadFormat::Json)
        return {decodeJson(topic, payload)};
    return decodeSenml(topic, payload);
}

}  // namespace citysense::legacy
