// The entity model of the OGC SensorThings API 1.1 (Part 1: Sensing) as citysense-api serves it over
// the readings store, and the ids of entities that have no table of their own:
//   Thing            a station (stations.id)
//   Location         a station's position, where it has one (the station's id)
//   Datastream       a sensors row: one quantity of one driver instance of a station (sensors.id)
//   Sensor           a driver instance of a station: the lowest sensors.id among that station's rows of
//                    that driver. Sensors rows are only ever added, with growing ids, so it never changes.
//   ObservedProperty a quantity of the SDK's quantity table: its position in the table plus one (the
//                    table is append only, so positions never change)
//   Observation      a readings row, keyed by (sensor, time): the string id "SENSOR-MICROS", e.g.
//                    "3-1764000000123456" (the sensors.id and the time in µs since 1970 UTC)
#pragma once

#include <citysense/Time.h>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace citysense::api {

enum class EntityType { Thing, Location, Datastream, Sensor, ObservedProperty, Observation };

/// "Things", "Datastreams", ...: the entity set of a type, as paths and links name it.
const char* entitySetName(EntityType type);

/// The entity set named `name`; nothing when there is no such set.
std::optional<EntityType> entitySetByName(const std::string& name);

/// The key of a readings row.
struct ObservationKey {
    std::int64_t sensor = 0;
    Micros time = 0;

    bool operator==(const ObservationKey& other) const {
        return sensor == other.sensor && time == other.time;
    }
};

/// "3-1764000000123456"
std::string observationId(const ObservationKey& key);

/// Room for observationId()'s text: two 64-bit numbers with their signs, and the dash.
using ObservationIdText = std::array<char, 48>;
/// observationId() written into `text`, without an allocation (a page writes a thousand ids, each
/// three times); a view of it.
std::string_view observationId(const ObservationKey& key, ObservationIdText& text);

/// Reads observationId()'s text; nothing when it is not one, or its time is outside the years 1000 to
/// 9999 the store holds.
std::optional<ObservationKey> parseObservationId(const std::string& text);

/// An entity's id: a number, or an Observation's key.
using EntityId = std::variant<std::int64_t, ObservationKey>;

/// "1", "'3-1764000000123456'": the id as written between the parentheses of a path.
std::string idLiteral(const EntityId& id);

/// Where a navigation property of an entity leads.
struct Navigation {
    EntityType target;
    bool single;  ///< to one entity (Datastream/Thing), not to a collection (Thing/Datastreams)
};

/// Every entity type, in the order of the service root's list of sets.
std::vector<EntityType> entityTypes();

/// The navigation properties served of `type` ("Locations", "Datastreams" for a Thing), in order.
std::vector<std::string> navigationNames(EntityType type);

/// The navigation property `name` of `type` (e.g. Datastream "Thing"); nothing when it has none of that name.
std::optional<Navigation> navigation(EntityType type, const std::string& name);

}  // namespace citysense::api
