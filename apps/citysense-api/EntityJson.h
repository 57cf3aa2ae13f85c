// The JSON of each SensorThings entity, as the specification shapes it: its properties, `@iot.id`,
// `@iot.selfLink` and one `@iot.navigationLink` per navigation property served. Observations, a
// thousand to a page, are written straight into the answer's text; the other entities, a row per
// station or sensor, are built as Poco::JSON objects. One EntityJson serves one request (one thread).
#pragma once

#include "JsonWriter.h"
#include "ObservationJson.h"
#include "ReadingsStore.h"

#include <Poco/JSON/Object.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace citysense::api {

class EntityJson {
public:
    /// `serviceRoot`: the links' start, e.g. "https://data.example.org/v1.1".
    explicit EntityJson(std::string serviceRoot);

    const std::string& serviceRoot() const { return _root; }

    Poco::JSON::Object::Ptr thing(const StationRow& station) const;
    Poco::JSON::Object::Ptr location(const StationRow& station) const;
    Poco::JSON::Object::Ptr datastream(const DatastreamRow& datastream) const;
    Poco::JSON::Object::Ptr sensor(const SensorRow& sensor) const;
    /// Nothing for an id outside the quantity table.
    Poco::JSON::Object::Ptr observedProperty(std::int64_t id) const;
    /// Writes the members of the Observation into the object open in `out`: those `keys` names, in
    /// the order of the others' objects (all of them when `keys` is empty). A thousand to a page: see
    /// ObservationJson, kept from one call to the next while `keys` stays the same.
    void observation(JsonWriter& out, const ReadingRow& reading, const std::vector<std::string>& keys) const;

    /// The service root document: the entity sets and the conformance classes served.
    Poco::JSON::Object::Ptr root() const;

private:
    Poco::JSON::Object::Ptr entity(EntityType type, const EntityId& id) const;
    void link(Poco::JSON::Object& object, EntityType type, const EntityId& id, const char* navigation) const;

    std::string _root;
    std::string _observationLink;  ///< the service root, escaped, and "/Observations('"
    mutable std::optional<ObservationJson> _observations;  ///< what observation() wrote with last
};

}  // namespace citysense::api
