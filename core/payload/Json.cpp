#include <payload/Json.h>

#include <payload/JsonReader.h>
#include <payload/Quality.h>

#include <citysense/Format.h>

namespace citysense {

using namespace payload;

std::string encodeJson(const Sample& sample) {
    return "{\"value\":" + formatJsonNumber(sample.value) +
           ",\"unit\":" + jsonString(info(sample.quantity).unit) +
           ",\"time\":" + jsonString(formatIsoTime(sample.time)) +
           ",\"quality\":" + qualityArray(sample.quality) + "}";
}

namespace {

// The members of the payload's object (depth 1) that are read; the others are checked and skipped.
class JsonDecoder {
public:
    explicit JsonDecoder(std::string_view topic) { _reading.name = std::string(topic); }

    void key(int depth, std::string_view name) {
        if (depth != 1)
            return;
        if (name == "value")
            _member = once(Value, "value");
        else if (name == "unit")
            _member = once(Unit, "unit");
        else if (name == "time" || name == "timestamp") {
            // "timestamp" as well: the console sink's JSON lines (formatJsonLine()) read back too.
            _member = once(Time, "time");
            _timeName = name == "time" ? "time" : "timestamp";
        } else if (name == "quality")
            _member = once(Quality, "quality");
        else
            _member = Other;
    }

    void value(int depth, const JsonValue& value) {
        if (depth == 2 && _inQuality)
            _reading.quality |= qualityElement(value, kWhere);
        if (depth != 1)
            return;
        switch (_member) {
            case Value:
                _reading.value = numberField(value, kWhere, "value");
                break;
            case Unit:
                _reading.unit = std::string(stringField(value, kWhere, "unit"));
                break;
            case Time:
                readTime(stringField(value, kWhere, _timeName));
                break;
            case Quality:
                if (value.kind != JsonValue::Kind::Array)
                    throw PayloadError(kWhere.field("quality") + " is " + describe(value) +
                                       ", not an array of names");
                _inQuality = true;
                break;
            case Other:
                break;
        }
    }

    void close(int depth) {
        if (depth == 2)
            _inQuality = false;
    }

    DecodedReading finish() {
        if (!(_seen & Value))
            throw PayloadError("json: no 'value'");
        if (!(_seen & Time))
            throw PayloadError("json: no 'time'");
        return std::move(_reading);
    }

private:
    enum Member : unsigned { Value = 1, Unit = 2, Time = 4, Quality = 8, Other = 16 };

    static constexpr Where kWhere{"json"};

    // A second known member is an error, not a silent choice between the two.
    Member once(Member member, const char* name) {
        if (_seen & member)
            throw PayloadError(kWhere.field(name) + " appears twice");
        _seen |= member;
        return member;
    }

    void readTime(std::string_view text) {
        const auto time = parseIsoTime(text);
        if (!time)
            throw PayloadError(std::string("json: bad '") + _timeName + "' " + quoteText(text, 40) +
                               " (expected ISO 8601 such as 2026-11-24T10:00:00.123456Z)");
        if (!inTimeRange(*time))
            throw PayloadError(std::string("json: '") + _timeName + "' " + quoteText(text, 40) +
                               " is not between 1970 and 9999");
        _reading.time = *time;
    }

    DecodedReading _reading;
    unsigned _seen = 0;
    Member _member = Other;
    const char* _timeName = "time";  ///< as written: "time" or "timestamp"
    bool _inQuality = false;
};

}  // namespace

DecodedReading decodeJson(std::string_view topic, std::string_view payload) {
    checkSize("json", payload);
    expectStart(payload, "json", '{', "an object");
    JsonDecoder decoder(topic);
    readJson(payload, "json", decoder);
    return decoder.finish();
}

}  // namespace citysense
