// An Observation's members as a page writes them: every member in the specification's order with the
// links escaped once, the members a $select keeps, and times that are formatIsoTime()'s on every day
// (the date of each day formatted once), before 1970 and at the ends of the store's years too.
#include <ObservationJson.h>

#include <citysense/Sample.h>
#include <citysense/Time.h>

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

namespace citysense::api {
namespace {

constexpr Micros kDay = 86400 * kMicrosPerSecond;

/// The members `json` writes of `reading`, as the text of one object.
std::string object(ObservationJson& json, const ReadingRow& reading) {
    JsonWriter out;
    out.beginObject();
    json.write(out, reading);
    out.endObject();
    return out.text();
}

TEST(ObservationJson, WritesEveryMemberInTheOrderOfTheEntity) {
    ObservationJson json(JsonWriter::escape("http://h\"x/v1.1") + "/Observations('", {});
    const ReadingRow reading{{3, 1764000000123456}, 21.5, QualityOk};
    EXPECT_EQ(
        object(json, reading),
        R"js({"@iot.id":"3-1764000000123456",)js"
        R"js("@iot.selfLink":"http://h\"x/v1.1/Observations('3-1764000000123456')",)js"
        R"js("phenomenonTime":"2025-11-24T16:00:00.123456Z","resultTime":"2025-11-24T16:00:00.123456Z",)js"
        R"js("result":21.5,"resultQuality":["ok"],)js"
        R"js("Datastream@iot.navigationLink":"http://h\"x/v1.1/Observations('3-1764000000123456')/Datastream"})js");
}

TEST(ObservationJson, KeepsTheSelectedMembersInTheOrderOfTheEntity) {
    ObservationJson json("r/Observations('", {"result", "resultQuality", "@iot.id"});
    EXPECT_EQ(object(json, {{1, 2}, -0.25, QualityOutOfRange | QualitySimulated}),
              R"({"@iot.id":"1-2","result":-0.25,"resultQuality":["out_of_range","simulated"]})");
    // The quality of the reading before is not kept for one with another.
    EXPECT_EQ(object(json, {{1, 3}, 4, QualityOk}), R"({"@iot.id":"1-3","result":4,"resultQuality":["ok"]})");
    ObservationJson times("r/Observations('", {"resultTime"});
    EXPECT_EQ(object(times, {{1, 0}, 1, QualityOk}), R"({"resultTime":"1970-01-01T00:00:00.000000Z"})");
}

TEST(ObservationJson, AResultThatIsNoNumberIsNull) {
    ObservationJson json("r/Observations('", {"result"});
    EXPECT_EQ(object(json, {{1, 2}, std::nan(""), QualityOk}), R"({"result":null})");
}

TEST(ObservationJson, TimesAreFormatIsoTimesWhateverDayTheyFallOn) {
    ObservationJson json("r/Observations('", {"phenomenonTime"});
    const std::vector<Micros> times{
        1764000000123456,               // a day
        1764000000123456 + 3600000001,  // the same day
        1764000000123456 + kDay,        // the next
        1764000000123456,               // the first again
        0,                              // the epoch
        -1,                             // the µs before it
        -kDay,                          // a day before it
        -kDay - 1,                      // and the µs before that
        951782400000000,                // 2000-02-29
        -30610224000000000,             // 1000-01-01
        253402300799999999,             // 9999-12-31T23:59:59.999999
        1764028799999999,               // a day's last µs
        1764028800000000,               // and the next day's first
    };
    for (const Micros time : times) {
        EXPECT_EQ(object(json, {{1, time}, 0, QualityOk}),
                  "{\"phenomenonTime\":\"" + formatIsoTime(time) + "\"}")
            << time;
    }
}

}  // namespace
}  // namespace citysense::api
