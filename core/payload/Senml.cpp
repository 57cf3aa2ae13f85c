#include <payload/Senml.h>

#include <payload/JsonReader.h>
#include <payload/Quality.h>

#include <citysense/Format.h>

#include <algorithm>
#include <cmath>
#include <iterator>
#include <optional>

namespace citysense {

using namespace payload;

namespace {

// RFC 8428 §4.5.3: a resolved SenML time below 2^28 s is relative to the receiver's "now".
constexpr Micros kRelativeTimeLimit = (Micros{1} << 28) * kMicrosPerSecond;
// Seconds beyond this are out of every range we accept, and their microseconds still fit an int64.
constexpr double kMaxSeconds = 1e12;

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

// The fields of RFC 8428 §4.1 and §4.2 and our "quality" extension.
enum class Field { Bn, Bt, Bu, Bv, Bs, Bver, N, U, V, Vs, Vb, Vd, S, T, Ut, Quality, Unknown };

const char* const kFieldNames[] = {"bn", "bt", "bu", "bv", "bs", "bver", "n",  "u",
                                   "v",  "vs", "vb", "vd", "s",  "t",    "ut", "quality"};

Field fieldNamed(std::string_view name) {
    for (std::size_t i = 0; i < std::size(kFieldNames); ++i) {
        if (name == kFieldNames[i])
            return static_cast<Field>(i);
    }
    return Field::Unknown;
}

// One SenML record as written, before base fields are applied (RFC 8428 §4.1, §4.6).
struct Record {
    std::optional<std::string> baseName, baseUnit, name, unit;
    std::optional<Micros> baseTime, time;
    std::optional<double> baseValue, value;
    std::uint16_t quality = QualityOk;
    const char* otherValue = nullptr;  ///< vs, vb, vd or s: a value that is not a number
    unsigned seen = 0;                 ///< the known fields so far, one bit each
};

// The pack (depth 1), its records (depth 2) and their quality arrays (depth 3); other values are
// checked and skipped.
class SenmlDecoder {
public:
    explicit SenmlDecoder(std::string_view topic) : _topic(topic) {}

    void key(int depth, std::string_view name) {
        if (depth != 2)
            return;
        _field = fieldNamed(name);
        if (_field == Field::Unknown) {
            // RFC 8428 §4.4: a field ending in '_' must be understood, or the pack is rejected.
            if (!name.empty() && name.back() == '_')
                throw PayloadError(where().text() + ": must-understand field " + quoteText(name, 40) +
                                   " is not supported");
            return;
        }
        const unsigned bit = 1u << static_cast<unsigned>(_field);
        if (_record.seen & bit)
            throw PayloadError(where().field(name) + " appears twice");
        _record.seen |= bit;
    }

    void value(int depth, const JsonValue& value) {
        if (depth == 1)
            startRecord(value);
        else if (depth == 2)
            field(value);
        else if (depth == 3 && _inQuality)
            _record.quality |= qualityElement(value, where());
    }

    void close(int depth) {
        if (depth == 2)
            finishRecord();
        else if (depth == 3)
            _inQuality = false;
    }

    std::vector<DecodedReading> finish() { return std::move(_readings); }

private:
    Where where() const { return Where{"senml", _readings.size() + 1}; }

    void startRecord(const JsonValue& value) {
        if (_readings.size() == kMaxRecords)
            throw PayloadError("senml: more than " + std::to_string(kMaxRecords) + " records");
        if (value.kind != JsonValue::Kind::Object)
            throw PayloadError(where().text() + " is " + describe(value) + ", not an object");
        _record = Record();
    }

    Micros seconds(const JsonValue& value, std::string_view name) const {
        const double number = numberField(value, where(), name);
        Micros micros = 0;
        if (!secondsToMicros(value.text, number, micros))
            throw PayloadError(where().field(name) + " " + quoteText(value.text, 40) + " is out of range");
        return micros;
    }

    void field(const JsonValue& value) {
        if (_field == Field::Unknown)
            return;
        const char* const name = kFieldNames[static_cast<int>(_field)];
        const auto text = [&] { return std::string(stringField(value, where(), name)); };
        const auto number = [&] { return numberField(value, where(), name); };
        switch (_field) {
            case Field::Bn:
                _record.baseName = text();
                break;
            case Field::Bt:
                _record.baseTime = seconds(value, name);
                break;
            case Field::Bu:
                _record.baseUnit = text();
                break;
            case Field::Bv:
                _record.baseValue = number();
                break;
            case Field::N:
                _record.name = text();
                break;
            case Field::U:
                _record.unit = text();
                break;
            case Field::V:
                _record.value = number();
                break;
            case Field::T:
                _record.time = seconds(value, name);
                break;
            case Field::Quality:
                if (value.kind != JsonValue::Kind::Array)
                    throw PayloadError(where().field(name) + " is " + describe(value) +
                                       ", not an array of names");
                _inQuality = true;
                break;
            case Field::Vs:
            case Field::Vd:
                text();
                _record.otherValue = name;
                break;
            case Field::Vb:
                if (value.kind != JsonValue::Kind::True && value.kind != JsonValue::Kind::False)
                    throw PayloadError(where().field(name) + " is " + describe(value) +
                                       ", not true or false");
                _record.otherValue = name;
                break;
            case Field::S:
                number();
                _record.otherValue = name;
                break;
            case Field::Bs:
            case Field::Bver:
            case Field::Ut:
                number();
                break;
            case Field::Unknown:
                break;
        }
    }

    // Base fields apply to their own record and every later one, until replaced (RFC 8428 §4.1).
    void finishRecord() {
        Record& record = _record;
        if (record.baseName)
            _baseName = std::move(*record.baseName);
        if (record.baseUnit)
            _baseUnit = std::move(*record.baseUnit);
        if (record.baseTime)
            _baseTime = *record.baseTime;
        if (record.baseValue)
            _baseValue = record.baseValue;
        if (!record.value) {
            if (record.otherValue)
                throw PayloadError(where().text() + ": no numeric value ('" + record.otherValue +
                                   "' is not read, only 'v')");
            throw PayloadError(where().text() + ": no value");
        }

        DecodedReading reading;
        reading.name = _baseName + record.name.value_or("");
        if (reading.name.empty())
            reading.name = std::string(_topic);
        // Adding a zero base value would turn -0 into +0.
        reading.value = _baseValue ? *_baseValue + *record.value : *record.value;
        if (!std::isfinite(reading.value))
            throw PayloadError(where().text() + ": 'bv' + 'v' is not a finite number");
        reading.time = _baseTime + record.time.value_or(0);
        if (reading.time < kRelativeTimeLimit)
            reading.time += _now;
        if (!inTimeRange(reading.time))
            throw PayloadError(where().text() + ": time " + formatSeconds(reading.time, false) +
                               " s is not between 1970 and 9999");
        reading.unit = record.unit ? std::move(*record.unit) : _baseUnit;
        reading.quality = record.quality;
        _readings.push_back(std::move(reading));
    }

    std::string_view _topic;
    // One "now" for the pack, so that its relative times keep their order.
    const Micros _now = nowMicros();
    std::string _baseName;
    std::string _baseUnit;
    Micros _baseTime = 0;
    std::optional<double> _baseValue;
    Record _record;
    Field _field = Field::Unknown;
    bool _inQuality = false;
    std::vector<DecodedReading> _readings;
};

}  // namespace

std::string encodeSenml(const std::vector<NamedSample>& readings) {
    if (readings.empty())
        return "[]";
    std::string_view baseName = readings.front().name;
    for (const auto& reading : readings) {
        const auto differ =
            std::mismatch(baseName.begin(), baseName.end(), reading.name.begin(), reading.name.end());
        baseName = baseName.substr(0, static_cast<std::size_t>(differ.first - baseName.begin()));
    }
    const auto slash = baseName.rfind('/');
    baseName = slash == std::string_view::npos ? std::string_view() : baseName.substr(0, slash + 1);

    const Micros baseTime = readings.front().sample.time;
    std::string pack = "[{";
    if (!baseName.empty())
        pack += "\"bn\":" + jsonString(std::string(baseName)) + ",";
    pack += "\"bt\":" + formatSeconds(baseTime, true) + ",";
    for (const auto& [name, sample] : readings) {
        if (&sample != &readings.front().sample)
            pack += ",{";
        if (name.size() > baseName.size())
            pack += "\"n\":" + jsonString(name.substr(baseName.size())) + ",";
        pack +=
            "\"u\":" + jsonString(info(sample.quantity).unit) + ",\"v\":" + formatJsonNumber(sample.value);
        if (sample.time != baseTime)
            pack += ",\"t\":" + formatSeconds(sample.time - baseTime, false);
        if (sample.quality != QualityOk)
            pack += ",\"quality\":" + qualityArray(sample.quality);
        pack += "}";
    }
    return pack + "]";
}

std::vector<DecodedReading> decodeSenml(std::string_view topic, std::string_view payload) {
    checkSize("senml", payload);
    expectStart(payload, "senml", '[', "a pack (an array of records)");
    SenmlDecoder decoder(topic);
    readJson(payload, "senml", decoder);
    return decoder.finish();
}

}  // namespace citysense
