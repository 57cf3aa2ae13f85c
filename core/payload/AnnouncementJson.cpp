#include <payload/AnnouncementJson.h>

#include <payload/Limits.h>
#include <payload/Text.h>

#include <citysense/Format.h>

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include <cmath>
#include <cstring>
#include <initializer_list>
#include <set>
#include <utility>

namespace citysense {

using namespace payload;

namespace {

constexpr const char* kPeriodic = "periodic";
constexpr const char* kOnChange = "on_change";

std::string seconds(Micros micros) {
    return formatJsonNumber(static_cast<double>(micros) / kMicrosPerSecond);
}

using Value = rapidjson::Value;

/// Where in the document a check is, for its messages: "about", "about: channel 3".
struct Place {
    std::string text;

    [[noreturn]] void fail(const std::string& what) const { throw PayloadError(text + ": " + what); }
    std::string field(const char* name) const { return "'" + std::string(name) + "'"; }
};

std::string describe(const Value& value) {
    if (value.IsString())
        return "a string (" + quoteText(std::string_view(value.GetString(), value.GetStringLength()), 40) +
               ")";
    if (value.IsNumber())
        return "a number";
    if (value.IsBool())
        return value.GetBool() ? "true" : "false";
    if (value.IsNull())
        return "null";
    return value.IsArray() ? "an array" : "an object";
}

/// Checks that `object` has exactly the members `required` and some of `optional`, each once.
void checkMembers(const Value& object, const Place& place, std::initializer_list<const char*> required,
                  std::initializer_list<const char*> optional) {
    std::set<std::string> seen;
    for (auto member = object.MemberBegin(); member != object.MemberEnd(); ++member) {
        const std::string name(member->name.GetString(), member->name.GetStringLength());
        bool known = false;
        for (const auto* list : {&required, &optional})
            for (const char* candidate : *list)
                known = known || name == candidate;
        if (!known)
            place.fail("unknown member " + quoteText(name, 40));
        if (!seen.insert(name).second)
            place.fail("'" + name + "' appears twice");
    }
    for (const char* name : required)
        if (!seen.count(name))
            place.fail("no '" + std::string(name) + "'");
}

std::string stringMember(const Value& object, const Place& place, const char* name) {
    const Value& value = object[name];
    if (!value.IsString())
        place.fail(place.field(name) + " is " + describe(value) + ", not a string");
    return std::string(value.GetString(), value.GetStringLength());
}

double numberMember(const Value& object, const Place& place, const char* name, double min, double max) {
    const Value& value = object[name];
    if (!value.IsNumber())
        place.fail(place.field(name) + " is " + describe(value) + ", not a number");
    const double number = value.GetDouble();
    if (!(number >= min && number <= max))
        place.fail(place.field(name) + " is " + formatJsonNumber(number) + ", not between " +
                   formatJsonNumber(min) + " and " + formatJsonNumber(max));
    return number;
}

/// A positive number of seconds, at most kMaxAnnouncedInterval, in whole microseconds.
Micros durationMember(const Value& object, const Place& place, const char* name) {
    const double maxSeconds = static_cast<double>(kMaxAnnouncedInterval) / kMicrosPerSecond;
    const Micros micros = std::llround(numberMember(object, place, name, 0, maxSeconds) *
                                       static_cast<double>(kMicrosPerSecond));
    if (micros <= 0)
        place.fail(place.field(name) + " must be above 0");
    return micros;
}

/// A name made of letters, digits and `allowedExtra`, 1 to kMaxNameCharacters long.
void checkWord(const std::string& text, const Place& place, const char* name, const char* allowedExtra) {
    if (text.empty() || text.size() > kMaxNameCharacters)
        place.fail(place.field(name) + " must be 1 to " + std::to_string(kMaxNameCharacters) + " characters");
    for (const char c : text) {
        const bool alphanumeric = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        if (!alphanumeric && !std::strchr(allowedExtra, c))
            place.fail(place.field(name) + " " + quoteText(text, 40) + " may hold only letters, digits and " +
                       quoteText(allowedExtra));
    }
}

Station readStation(const Value& value) {
    const Place place{"about: station"};
    if (!value.IsObject())
        Place{"about"}.fail("'station' is " + describe(value) + ", not an object");
    checkMembers(value, place, {"system", "city", "street"}, {"latitude", "longitude"});
    Station station;
    const std::pair<const char*, std::string*> names[] = {
        {"system", &station.system}, {"city", &station.city}, {"street", &station.street}};
    for (const auto& [name, target] : names) {
        *target = stringMember(value, place, name);
        if (target->empty() || target->find_first_of("/+#") != std::string::npos ||
            target->find('\0') != std::string::npos)
            place.fail(place.field(name) + " " + quoteText(*target, 40) +
                       " is no topic level (empty, or with / + # or NUL)");
        if (const std::string problem = nameLengthProblem(name, *target); !problem.empty())
            place.fail(problem);
    }
    if (value.HasMember("latitude") != value.HasMember("longitude"))
        place.fail("'latitude' and 'longitude' go together");
    if (value.HasMember("latitude")) {
        station.latitude = numberMember(value, place, "latitude", -90, 90);
        station.longitude = numberMember(value, place, "longitude", -180, 180);
        station.hasPosition = true;
    }
    return station;
}

AnnouncedChannel readChannel(const Value& value, const Place& place) {
    if (!value.IsObject())
        place.fail("is " + describe(value) + ", not an object");
    checkMembers(value, place,
                 {"driver", "quantity", "unit", "plugin", "plugin_version", "interval_s", "publish"},
                 {"max_silence_s"});
    AnnouncedChannel channel;
    channel.driver = stringMember(value, place, "driver");
    if (channel.driver.compare(0, 7, "driver.") != 0)
        place.fail("'driver' " + quoteText(channel.driver, 40) + " is not \"driver.NAME\"");
    checkWord(channel.driver.substr(7), place, "driver", "_-");
    const std::string quantityName = stringMember(value, place, "quantity");
    const auto quantity = quantityByName(quantityName);
    if (!quantity)
        place.fail("'quantity' " + quoteText(quantityName, 40) + " is none of " + quantityNames());
    channel.quantity = *quantity;
    const std::string unit = stringMember(value, place, "unit");
    if (unit != info(channel.quantity).unit)
        place.fail("'unit' is " + quoteText(unit, 40) + ", but " + quantityName + " is in " +
                   info(channel.quantity).unit);
    channel.plugin = stringMember(value, place, "plugin");
    checkWord(channel.plugin, place, "plugin", "_-");
    channel.pluginVersion = stringMember(value, place, "plugin_version");
    checkWord(channel.pluginVersion, place, "plugin_version", ".-+_~");
    channel.interval = durationMember(value, place, "interval_s");
    const std::string publish = stringMember(value, place, "publish");
    if (publish != kPeriodic && publish != kOnChange)
        place.fail("'publish' is " + quoteText(publish, 40) + ", not \"periodic\" or \"on_change\"");
    channel.onChange = publish == kOnChange;
    if (channel.onChange != value.HasMember("max_silence_s"))
        place.fail(channel.onChange ? "an on_change channel needs 'max_silence_s' (null: unbounded)"
                                    : "'max_silence_s' belongs to on_change channels only");
    if (channel.onChange && !value["max_silence_s"].IsNull())
        channel.maxSilence = durationMember(value, place, "max_silence_s");
    return channel;
}

}  // namespace

std::string encodeAnnouncement(const Announcement& announcement) {
    const Station& station = announcement.station;
    std::string text = "{\"station\":{\"system\":" + jsonString(station.system) +
                       ",\"city\":" + jsonString(station.city) + ",\"street\":" + jsonString(station.street);
    if (station.hasPosition)
        text += ",\"latitude\":" + formatJsonNumber(station.latitude) +
                ",\"longitude\":" + formatJsonNumber(station.longitude);
    text += "},\"channels\":[";
    for (std::size_t i = 0; i < announcement.channels.size(); ++i) {
        const AnnouncedChannel& channel = announcement.channels[i];
        text += std::string(i ? "," : "") + "{\"driver\":" + jsonString(channel.driver) +
                ",\"quantity\":" + jsonString(info(channel.quantity).name) +
                ",\"unit\":" + jsonString(info(channel.quantity).unit) +
                ",\"plugin\":" + jsonString(channel.plugin) +
                ",\"plugin_version\":" + jsonString(channel.pluginVersion) +
                ",\"interval_s\":" + seconds(channel.interval) + ",\"publish\":\"" +
                (channel.onChange ? kOnChange : kPeriodic) + "\"";
        if (channel.onChange)
            text += ",\"max_silence_s\":" + (channel.maxSilence > 0 ? seconds(channel.maxSilence) : "null");
        text += "}";
    }
    return text + "]}";
}

Announcement decodeAnnouncement(std::string_view payload) {
    checkSize("about", payload);
    rapidjson::Document document;
    // Iterative: nesting costs no stack, whatever the document holds.
    document.Parse<rapidjson::kParseValidateEncodingFlag | rapidjson::kParseIterativeFlag>(payload.data(),
                                                                                           payload.size());
    if (document.HasParseError())
        throw PayloadError("about: bad JSON at byte " + std::to_string(document.GetErrorOffset()) + ": " +
                           rapidjson::GetParseError_En(document.GetParseError()));
    const Place place{"about"};
    if (!document.IsObject())
        place.fail("the document is " + describe(document) + ", not an object");
    checkMembers(document, place, {"station", "channels"}, {});
    Announcement announcement;
    announcement.station = readStation(document["station"]);
    const Value& channels = document["channels"];
    if (!channels.IsArray())
        place.fail("'channels' is " + describe(channels) + ", not an array");
    if (channels.Size() > kMaxAnnouncedChannels)
        place.fail(std::to_string(channels.Size()) + " channels, more than the " +
                   std::to_string(kMaxAnnouncedChannels) + " an announcement may list");
    std::set<std::pair<std::string, Quantity>> seen;
    for (rapidjson::SizeType i = 0; i < channels.Size(); ++i) {
        const Place channelPlace{"about: channel " + std::to_string(i + 1)};
        AnnouncedChannel channel = readChannel(channels[i], channelPlace);
        if (!seen.emplace(channel.driver, channel.quantity).second)
            channelPlace.fail(channel.driver + " " + info(channel.quantity).name + " is announced twice");
        announcement.channels.push_back(std::move(channel));
    }
    return announcement;
}

}  // namespace citysense
