#include "EntityJson.h"

#include "JsonObjects.h"

#include <citysense/Quantity.h>

#include <Poco/JSON/Array.h>

#include <utility>

namespace citysense::api {

namespace {

constexpr const char* kMeasurement = "http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement";

Poco::JSON::Array::Ptr array(std::initializer_list<Poco::Dynamic::Var> items) {
    Poco::JSON::Array::Ptr result = new Poco::JSON::Array;
    for (const auto& item : items)
        result->add(item);
    return result;
}

}  // namespace

EntityJson::EntityJson(std::string serviceRoot)
    : _root(std::move(serviceRoot)),
      _observationLink(JsonWriter::escape(_root) + "/" + entitySetName(EntityType::Observation) + "('") {}

Poco::JSON::Object::Ptr EntityJson::entity(EntityType type, const EntityId& id) const {
    Poco::JSON::Object::Ptr object = orderedObject();
    if (const auto* number = std::get_if<std::int64_t>(&id))
        object->set("@iot.id", *number);
    else
        object->set("@iot.id", observationId(std::get<ObservationKey>(id)));
    object->set("@iot.selfLink", _root + "/" + entitySetName(type) + "(" + idLiteral(id) + ")");
    return object;
}

void EntityJson::link(Poco::JSON::Object& object, EntityType type, const EntityId& id,
                      const char* navigation) const {
    object.set(std::string(navigation) + "@iot.navigationLink",
               _root + "/" + entitySetName(type) + "(" + idLiteral(id) + ")/" + navigation);
}

Poco::JSON::Object::Ptr EntityJson::thing(const StationRow& station) const {
    auto object = entity(EntityType::Thing, station.id);
    object->set("name", station.path());
    object->set("description", "citysense station " + station.path());
    Poco::JSON::Object::Ptr properties = orderedObject();
    properties->set("system", station.system);
    properties->set("city", station.city);
    properties->set("street", station.street);
    object->set("properties", properties);
    link(*object, EntityType::Thing, station.id, "Locations");
    link(*object, EntityType::Thing, station.id, "Datastreams");
    return object;
}

Poco::JSON::Object::Ptr EntityJson::location(const StationRow& station) const {
    auto object = entity(EntityType::Location, station.id);
    object->set("name", station.path());
    object->set("description", "where citysense station " + station.path() + " stands");
    object->set("encodingType", "application/geo+json");
    Poco::JSON::Object::Ptr point = orderedObject();
    point->set("type", "Point");
    point->set("coordinates", array({*station.longitude, *station.latitude}));  // GeoJSON: longitude first
    object->set("location", point);
    link(*object, EntityType::Location, station.id, "Things");
    return object;
}

Poco::JSON::Object::Ptr EntityJson::datastream(const DatastreamRow& datastream) const {
    auto object = entity(EntityType::Datastream, datastream.id);
    object->set("name",
                datastream.quantity + " at " + datastream.stationPath + " (" + datastream.driver + ")");
    object->set("description", datastream.quantity + " measured by " + datastream.driver +
                                   " of citysense station " + datastream.stationPath);
    const auto quantity = quantityByName(datastream.quantity);
    const std::string unit = quantity ? info(*quantity).unit : datastream.unit;
    Poco::JSON::Object::Ptr unitOfMeasurement = orderedObject();
    unitOfMeasurement->set("name", unit);
    unitOfMeasurement->set("symbol", unit);
    unitOfMeasurement->set("definition", "https://www.iana.org/assignments/senml/senml.xhtml#senml-units");
    object->set("unitOfMeasurement", unitOfMeasurement);
    object->set("observationType", kMeasurement);
    link(*object, EntityType::Datastream, datastream.id, "Thing");
    link(*object, EntityType::Datastream, datastream.id, "Sensor");
    link(*object, EntityType::Datastream, datastream.id, "ObservedProperty");
    link(*object, EntityType::Datastream, datastream.id, "Observations");
    return object;
}

Poco::JSON::Object::Ptr EntityJson::sensor(const SensorRow& sensor) const {
    auto object = entity(EntityType::Sensor, sensor.id);
    object->set("name", sensor.driver + " at " + sensor.stationPath);
    object->set("description",
                "the driver instance " + sensor.driver + " of citysense station " + sensor.stationPath);
    object->set("encodingType", "text/plain");
    object->set("metadata", sensor.driver);
    link(*object, EntityType::Sensor, sensor.id, "Datastreams");
    return object;
}

Poco::JSON::Object::Ptr EntityJson::observedProperty(std::int64_t id) const {
    const auto& table = quantities();
    if (id < 1 || static_cast<std::size_t>(id) > table.size())
        return nullptr;
    const QuantityInfo& quantity = table[static_cast<std::size_t>(id - 1)];
    auto object = entity(EntityType::ObservedProperty, id);
    object->set("name", quantity.name);
    object->set("definition", std::string("urn:citysense:quantity:") + quantity.name);
    object->set("description", std::string(quantity.name) + ", in " + quantity.unit + " (SenML unit)");
    link(*object, EntityType::ObservedProperty, id, "Datastreams");
    return object;
}

void EntityJson::observation(JsonWriter& out, const ReadingRow& reading,
                             const std::vector<std::string>& keys) const {
    if (!_observations || _observations->keys() != keys)
        _observations.emplace(_observationLink, keys);
    _observations->write(out, reading);
}

Poco::JSON::Object::Ptr EntityJson::root() const {
    Poco::JSON::Array::Ptr sets = new Poco::JSON::Array;
    for (const auto type : {EntityType::Thing, EntityType::Location, EntityType::Datastream,
                            EntityType::Sensor, EntityType::ObservedProperty, EntityType::Observation}) {
        Poco::JSON::Object::Ptr set = orderedObject();
        set->set("name", entitySetName(type));
        set->set("url", _root + "/" + entitySetName(type));
        sets->add(set);
    }
    Poco::JSON::Object::Ptr settings = new Poco::JSON::Object;
    settings->set("conformance", array({"http://www.opengis.net/spec/iot_sensing/1.1/req/datamodel",
                                        "http://www.opengis.net/spec/iot_sensing/1.1/req/resource-path/"
                                        "resource-path-to-entities"}));
    Poco::JSON::Object::Ptr object = orderedObject();
    object->set("value", sets);
    object->set("serverSettings", settings);
    return object;
}

}  // namespace citysense::api
