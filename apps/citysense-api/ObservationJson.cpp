#include "ObservationJson.h"

#include "SensingModel.h"

#include <citysense/Sample.h>
#include <citysense/Time.h>

#include <algorithm>
#include <array>
#include <cstring>

namespace citysense::api {

namespace {

constexpr std::int64_t kMicrosPerDay = 86400 * kMicrosPerSecond;
/// "HH:MM:SS.ffffffZ", the end of an ISO time after its date.
constexpr std::size_t kTimeOfDayLength = 16;

/// "00" to "99", the two digits of each number below 100.
struct DigitPairs {
    std::array<char, 200> of{};

    DigitPairs() {
        for (int number = 0; number < 100; ++number) {
            of[2 * number] = static_cast<char>('0' + number / 10);
            of[2 * number + 1] = static_cast<char>('0' + number % 10);
        }
    }
};

const DigitPairs kDigitPairs;

/// The two digits of `number` (below 100) at `out`; the end of them.
char* twoDigits(char* out, std::int64_t number) {
    std::memcpy(out, &kDigitPairs.of[2 * number], 2);
    return out + 2;
}

char* copy(char* out, std::string_view text) {
    std::memcpy(out, text.data(), text.size());
    return out + text.size();
}

}  // namespace

ObservationJson::ObservationJson(std::string_view observationLink, std::vector<std::string> keys)
    : _keys(std::move(keys)) {
    bool first = true;
    const auto member = [&](const char* name) {
        if (!_keys.empty() && std::find(_keys.begin(), _keys.end(), name) == _keys.end())
            return false;
        text(first ? "\"" : ",\"");
        text(name);
        text("\":");
        first = false;
        return true;
    };
    const auto value = [&](Piece piece) { _parts.push_back({piece, {}}); };
    // Digits, a dash and an ISO time: nothing in an id or a time needs an escape.
    if (member("@iot.id")) {
        text("\"");
        value(Piece::Id);
        text("\"");
    }
    if (member("@iot.selfLink")) {
        text("\"");
        text(observationLink);
        value(Piece::Id);
        text("')\"");
    }
    for (const char* time : {"phenomenonTime", "resultTime"}) {
        if (member(time)) {
            text("\"");
            value(Piece::Time);
            text("\"");
        }
    }
    if (member("result"))
        value(Piece::Result);
    if (member("resultQuality"))
        value(Piece::Quality);
    if (member("Datastream@iot.navigationLink")) {
        text("\"");
        text(observationLink);
        value(Piece::Id);
        text("')/Datastream\"");
    }
}

void ObservationJson::text(std::string_view text) {
    if (_parts.empty() || _parts.back().piece != Piece::Text)
        _parts.push_back({Piece::Text, {}});
    _parts.back().text += text;
}

void ObservationJson::write(JsonWriter& out, const ReadingRow& reading) {
    ObservationIdText idText;
    const std::string_view id = observationId(reading.key, idText);
    const std::string_view time = isoTime(reading.key.time);
    JsonWriter::NumberText numberText;
    const std::string_view result = JsonWriter::numberText(reading.value, numberText);
    const std::string_view quality = qualityJson(reading.quality);
    const auto textOf = [&](const Part& part) -> std::string_view {
        switch (part.piece) {
            case Piece::Text:
                return part.text;
            case Piece::Id:
                return id;
            case Piece::Time:
                return time;
            case Piece::Result:
                return result;
            case Piece::Quality:
                return quality;
        }
        return {};
    };
    std::size_t length = 0;
    for (const Part& part : _parts)
        length += textOf(part).size();
    out.membersInPlace(length, [&](char* at) {
        for (const Part& part : _parts)
            at = copy(at, textOf(part));
    });
}

std::string_view ObservationJson::isoTime(Micros time) {
    Micros micros = time % kMicrosPerDay;
    std::int64_t day = time / kMicrosPerDay;
    if (micros < 0) {
        micros += kMicrosPerDay;
        --day;
    }
    if (day != _day) {
        // The date as formatIsoTime() writes it (any year), from the text of the day's start.
        _time = formatIsoTime(day * kMicrosPerDay);
        _day = day;
    }
    const Micros seconds = micros / kMicrosPerSecond;
    const Micros fraction = micros % kMicrosPerSecond;
    char* at = _time.data() + _time.size() - kTimeOfDayLength;
    at = twoDigits(at, seconds / 3600);
    *at++ = ':';
    at = twoDigits(at, seconds / 60 % 60);
    *at++ = ':';
    at = twoDigits(at, seconds % 60);
    *at++ = '.';
    at = twoDigits(at, fraction / 10000);
    at = twoDigits(at, fraction / 100 % 100);
    twoDigits(at, fraction % 100);
    return _time;
}

std::string_view ObservationJson::qualityJson(std::uint16_t quality) {
    if (!_quality || _quality->first != quality) {
        JsonWriter out;
        out.beginArray();
        for (const auto& name : qualityNames(quality))
            out.string(name);
        out.endArray();
        _quality.emplace(quality, out.take());
    }
    return _quality->second;
}

}  // namespace citysense::api
