#include "SensingModel.h"

#include <array>
#include <charconv>

namespace citysense::api {

namespace {

constexpr std::array<std::pair<EntityType, const char*>, 6> kSets = {{
    {EntityType::Thing, "Things"},
    {EntityType::Location, "Locations"},
    {EntityType::Datastream, "Datastreams"},
    {EntityType::Sensor, "Sensors"},
    {EntityType::ObservedProperty, "ObservedProperties"},
    {EntityType::Observation, "Observations"},
}};

struct NavigationEntry {
    EntityType from;
    const char* name;
    Navigation to;
};

// The navigation properties served; those of the specification not listed here (HistoricalLocations,
// FeatureOfInterest) are not served yet.
constexpr std::array<NavigationEntry, 10> kNavigations = {{
    {EntityType::Thing, "Locations", {EntityType::Location, false}},
    {EntityType::Thing, "Datastreams", {EntityType::Datastream, false}},
    {EntityType::Location, "Things", {EntityType::Thing, false}},
    {EntityType::Datastream, "Thing", {EntityType::Thing, true}},
    {EntityType::Datastream, "Sensor", {EntityType::Sensor, true}},
    {EntityType::Datastream, "ObservedProperty", {EntityType::ObservedProperty, true}},
    {EntityType::Datastream, "Observations", {EntityType::Observation, false}},
    {EntityType::Sensor, "Datastreams", {EntityType::Datastream, false}},
    {EntityType::ObservedProperty, "Datastreams", {EntityType::Datastream, false}},
    {EntityType::Observation, "Datastream", {EntityType::Datastream, true}},
}};

// The times the store holds: MariaDB's DATETIME range, 1000-01-01 to 9999-12-31 (the sql sink refuses
// others for both stores). A key outside it names no reading, and would not bind as a DATETIME.
constexpr Micros kEarliestTime = -30610224000000000;
constexpr Micros kLatestTime = 253402300799999999;

template <typename Number>
std::optional<Number> parseWhole(const std::string& text) {
    Number value{};
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || error != std::errc() || end != text.data() + text.size())
        return std::nullopt;
    return value;
}

}  // namespace

const char* entitySetName(EntityType type) {
    for (const auto& [setType, name] : kSets) {
        if (setType == type)
            return name;
    }
    return "";
}

std::vector<EntityType> entityTypes() {
    std::vector<EntityType> types;
    for (const auto& set : kSets)
        types.push_back(set.first);
    return types;
}

std::vector<std::string> navigationNames(EntityType type) {
    std::vector<std::string> names;
    for (const auto& entry : kNavigations) {
        if (entry.from == type)
            names.emplace_back(entry.name);
    }
    return names;
}

std::optional<EntityType> entitySetByName(const std::string& name) {
    for (const auto& [type, setName] : kSets) {
        if (name == setName)
            return type;
    }
    return std::nullopt;
}

std::string observationId(const ObservationKey& key) {
    ObservationIdText text;
    return std::string(observationId(key, text));
}

std::string_view observationId(const ObservationKey& key, ObservationIdText& text) {
    constexpr std::size_t kDigits = 20;  // of an int64, with its sign
    static_assert(std::tuple_size_v<ObservationIdText> >= 2 * kDigits + 1);
    char* at = std::to_chars(text.data(), text.data() + kDigits, key.sensor).ptr;
    *at++ = '-';
    at = std::to_chars(at, at + kDigits, key.time).ptr;
    return {text.data(), static_cast<std::size_t>(at - text.data())};
}

std::optional<ObservationKey> parseObservationId(const std::string& text) {
    const auto dash = text.find('-');
    if (dash == std::string::npos || text[0] == '-')
        return std::nullopt;
    const auto sensor = parseWhole<std::int64_t>(text.substr(0, dash));
    const auto time = parseWhole<Micros>(text.substr(dash + 1));
    if (!sensor || !time || *sensor < 0 || *time < kEarliestTime || *time > kLatestTime)
        return std::nullopt;
    return ObservationKey{*sensor, *time};
}

std::string idLiteral(const EntityId& id) {
    if (const auto* number = std::get_if<std::int64_t>(&id))
        return std::to_string(*number);
    return "'" + observationId(std::get<ObservationKey>(id)) + "'";
}

std::optional<Navigation> navigation(EntityType type, const std::string& name) {
    for (const auto& entry : kNavigations) {
        if (entry.from == type && name == entry.name)
            return entry.to;
    }
    return std::nullopt;
}

}  // namespace citysense::api
