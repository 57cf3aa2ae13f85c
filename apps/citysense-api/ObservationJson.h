// The members of an Observation's JSON object, written a thousand times to a page. The member names,
// the escaped service root of the links and the rest of the constant text are put together once, for
// the members a request asks for ($select), so that each Observation is its id, time, result and
// quality written between copies of that text, in place (JsonWriter::membersInPlace()). The date of a
// time is formatted once for each day the page's readings fall on, its time of day digit by digit; the
// text is formatIsoTime()'s, "2025-03-01T12:00:00.000000Z".
#pragma once

#include "JsonWriter.h"
#include "ReadingsStore.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace citysense::api {

class ObservationJson {
public:
    /// `observationLink`: the service root, escaped for a JSON string, and "/Observations('"; `keys`:
    /// the members written (all when empty), in the order of the specification's entity.
    ObservationJson(std::string_view observationLink, std::vector<std::string> keys);

    /// The members `keys` asks for; what this was built for.
    const std::vector<std::string>& keys() const { return _keys; }

    /// Writes the members of `reading` into the object open in `out`.
    void write(JsonWriter& out, const ReadingRow& reading);

private:
    /// What comes next in a member list: constant text, or a value of the reading.
    enum class Piece { Text, Id, Time, Result, Quality };
    struct Part {
        Piece piece;
        std::string text;  ///< with Piece::Text
    };

    /// Appends `text` to the constant text at the end of the parts.
    void text(std::string_view text);
    /// "YYYY-MM-DDTHH:MM:SS.ffffffZ" of `time`, into `_time`.
    std::string_view isoTime(Micros time);
    /// resultQuality's array of `quality`, the one of the reading before kept: a page's readings
    /// mostly share theirs.
    std::string_view qualityJson(std::uint16_t quality);

    std::vector<std::string> _keys;
    std::vector<Part> _parts;
    std::optional<std::int64_t> _day;  ///< the day `_time`'s date is of, in days since 1970
    std::string _time;                 ///< the text of the last time written, its date kept
    std::optional<std::pair<std::uint16_t, std::string>> _quality;  ///< what qualityJson() gave last
};

}  // namespace citysense::api
