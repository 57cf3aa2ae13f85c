#include "OpenApiComponents.h"

#include <Poco/JSON/Parser.h>

namespace citysense::api {

namespace {

// Written as JSON: it is a description, not behaviour, and reads best in the form clients see it.
constexpr const char* kComponents = R"json({
"schemas": {
  "Error": {"type": "object", "required": ["code", "type", "message"], "properties": {
    "code": {"type": "integer", "example": 400},
    "type": {"type": "string", "enum": ["error"]},
    "parameter": {"type": "string", "description": "the parameter or query option to blame, when one is"},
    "message": {"type": "string"}}},
  "Link": {"type": "string", "format": "uri"},
  "Entity": {"type": "object", "properties": {
    "@iot.id": {"oneOf": [{"type": "integer"}, {"type": "string"}]},
    "@iot.selfLink": {"$ref": "#/components/schemas/Link"}},
    "additionalProperties": true},
  "ServiceRoot": {"type": "object", "properties": {
    "value": {"type": "array", "items": {"type": "object", "properties": {
      "name": {"type": "string"}, "url": {"$ref": "#/components/schemas/Link"}}}},
    "serverSettings": {"type": "object", "properties": {
      "conformance": {"type": "array", "items": {"type": "string"}}}}}},
  "Thing": {"allOf": [{"$ref": "#/components/schemas/Entity"}, {"type": "object", "properties": {
    "name": {"type": "string", "example": "hypo_city/city_01/street_01"},
    "description": {"type": "string"},
    "properties": {"type": "object", "properties": {
      "system": {"type": "string"}, "city": {"type": "string"}, "street": {"type": "string"}}},
    "Locations@iot.navigationLink": {"$ref": "#/components/schemas/Link"},
    "Datastreams@iot.navigationLink": {"$ref": "#/components/schemas/Link"}}}]},
  "Location": {"allOf": [{"$ref": "#/components/schemas/Entity"}, {"type": "object", "properties": {
    "name": {"type": "string"},
    "description": {"type": "string"},
    "encodingType": {"type": "string", "enum": ["application/geo+json"]},
    "location": {"$ref": "#/components/schemas/Point"},
    "Things@iot.navigationLink": {"$ref": "#/components/schemas/Link"}}}]},
  "Point": {"type": "object", "properties": {
    "type": {"type": "string", "enum": ["Point"]},
    "coordinates": {"type": "array", "minItems": 2, "maxItems": 2, "items": {"type": "number"},
      "description": "longitude, latitude"}}},
  "Datastream": {"allOf": [{"$ref": "#/components/schemas/Entity"}, {"type": "object", "properties": {
    "name": {"type": "string"},
    "description": {"type": "string"},
    "unitOfMeasurement": {"type": "object", "properties": {
      "name": {"type": "string", "example": "ppb"}, "symbol": {"type": "string"},
      "definition": {"type": "string"}}},
    "observationType": {"type": "string"},
    "Thing@iot.navigationLink": {"$ref": "#/components/schemas/Link"},
    "Sensor@iot.navigationLink": {"$ref": "#/components/schemas/Link"},
    "ObservedProperty@iot.navigationLink": {"$ref": "#/components/schemas/Link"},
    "Observations@iot.navigationLink": {"$ref": "#/components/schemas/Link"}}}]},
  "Sensor": {"allOf": [{"$ref": "#/components/schemas/Entity"}, {"type": "object", "properties": {
    "name": {"type": "string"},
    "description": {"type": "string"},
    "encodingType": {"type": "string"},
    "metadata": {"type": "string", "description": "the driver instance"},
    "Datastreams@iot.navigationLink": {"$ref": "#/components/schemas/Link"}}}]},
  "ObservedProperty": {"allOf": [{"$ref": "#/components/schemas/Entity"}, {"type": "object", "properties": {
    "name": {"type": "string", "example": "no2"},
    "definition": {"type": "string"},
    "description": {"type": "string"},
    "Datastreams@iot.navigationLink": {"$ref": "#/components/schemas/Link"}}}]},
  "Observation": {"allOf": [{"$ref": "#/components/schemas/Entity"}, {"type": "object", "properties": {
    "phenomenonTime": {"type": "string", "format": "date-time"},
    "resultTime": {"type": "string", "format": "date-time"},
    "result": {"type": "number"},
    "resultQuality": {"type": "array", "items": {"type": "string",
      "enum": ["ok", "out_of_range", "sensor_fault", "warming_up", "simulated", "clock_unsynchronised"]}},
    "Datastream@iot.navigationLink": {"$ref": "#/components/schemas/Link"}}}]},
  "Aggregate": {"type": "object", "properties": {
    "start": {"type": "string", "format": "date-time"},
    "end": {"type": "string", "format": "date-time"},
    "mean": {"type": "number", "nullable": true},
    "min": {"type": "number", "nullable": true},
    "max": {"type": "number", "nullable": true},
    "count": {"type": "integer"},
    "expected": {"type": "number"},
    "coverage": {"type": "number"},
    "valid": {"type": "boolean"}}},
  "Aggregates": {"type": "object", "properties": {
    "Datastream@iot.id": {"type": "integer"},
    "Datastream@iot.navigationLink": {"$ref": "#/components/schemas/Link"},
    "quantity": {"type": "string"},
    "unit": {"type": "string"},
    "interval": {"type": "string", "enum": ["1h", "1d", "1mo", "1y"]},
    "from": {"type": "string", "format": "date-time"},
    "to": {"type": "string", "format": "date-time"},
    "sensor_interval_seconds": {"type": "number", "nullable": true},
    "interval_source": {"type": "string", "nullable": true, "enum": ["announced", "median_spacing"]},
    "value": {"type": "array", "items": {"$ref": "#/components/schemas/Aggregate"}}}},
  "LimitResult": {"type": "object", "properties": {
    "averaging": {"type": "string"},
    "threshold": {"type": "number"},
    "allowed": {"type": "integer"},
    "exceedances": {"type": "integer"},
    "valid_periods": {"type": "integer"},
    "periods": {"type": "integer"},
    "data_capture": {"type": "number"},
    "mean": {"type": "number", "nullable": true},
    "verdict": {"type": "string", "enum": ["met", "exceeded", "insufficient_data"]}}},
  "Compliance": {"type": "object", "properties": {
    "Thing@iot.id": {"type": "integer"},
    "Thing@iot.navigationLink": {"$ref": "#/components/schemas/Link"},
    "station": {"type": "string"},
    "year": {"type": "integer"},
    "limits": {"type": "string"},
    "limits_description": {"type": "string"},
    "unit": {"type": "string", "enum": ["ug/m3"]},
    "datastreams": {"type": "array", "items": {"type": "object", "properties": {
      "Datastream@iot.id": {"type": "integer"},
      "quantity": {"type": "string"},
      "limits": {"type": "array", "items": {"$ref": "#/components/schemas/LimitResult"}},
      "alert_threshold": {"type": "number", "nullable": true},
      "alert_episodes": {"type": "integer"}}}}}},
  "Band": {"type": "object", "nullable": true, "properties": {
    "name": {"type": "string", "enum": ["Good", "Fair", "Moderate", "Poor", "Very poor", "Extremely poor"]},
    "number": {"type": "integer", "minimum": 1, "maximum": 6},
    "colour": {"type": "string", "example": "#50CCAA"}}},
  "AirQualityIndex": {"type": "object", "properties": {
    "Thing@iot.id": {"type": "integer"},
    "Thing@iot.navigationLink": {"$ref": "#/components/schemas/Link"},
    "station": {"type": "string"},
    "from": {"type": "string", "format": "date-time"},
    "to": {"type": "string", "format": "date-time"},
    "pollutants": {"type": "array", "items": {"type": "object"}},
    "value": {"type": "array", "items": {"type": "object", "properties": {
      "start": {"type": "string", "format": "date-time"},
      "end": {"type": "string", "format": "date-time"},
      "band": {"$ref": "#/components/schemas/Band"},
      "pollutant": {"type": "string", "nullable": true},
      "incomplete": {"type": "boolean"},
      "means": {"type": "array", "items": {"type": "object", "properties": {
        "Datastream@iot.id": {"type": "integer"},
        "mean": {"type": "number", "nullable": true},
        "valid": {"type": "boolean"}}}}}}}}},
  "LatestValues": {"type": "object", "description": "a GeoJSON FeatureCollection", "properties": {
    "type": {"type": "string", "enum": ["FeatureCollection"]},
    "features": {"type": "array", "items": {"type": "object", "properties": {
      "type": {"type": "string", "enum": ["Feature"]},
      "geometry": {"allOf": [{"$ref": "#/components/schemas/Point"}], "nullable": true},
      "properties": {"type": "object", "properties": {
        "station": {"type": "string"},
        "Thing@iot.id": {"type": "integer"},
        "latest": {"type": "object", "description": "per quantity", "additionalProperties": {
          "type": "object", "properties": {
            "Datastream@iot.id": {"type": "integer"},
            "value": {"type": "number"},
            "unit": {"type": "string"},
            "time": {"type": "string", "format": "date-time"},
            "age_seconds": {"type": "number"},
            "quality": {"type": "array", "items": {"type": "string"}},
            "sensor_interval_seconds": {"type": "number", "nullable": true},
            "interval_source": {"type": "string", "nullable": true, "enum": ["announced", "median_spacing"]},
            "stale": {"type": "boolean", "nullable": true}}}},
        "eaqi": {"type": "object", "nullable": true}}}}}}}},
  "Health": {"type": "object", "properties": {
    "status": {"type": "string", "enum": ["ok", "failing"]},
    "store": {"type": "object", "properties": {"reachable": {"type": "boolean"}}},
    "requests": {"type": "integer"}}}
},
"parameters": {
  "filter": {"name": "$filter", "in": "query", "schema": {"type": "string"},
    "description": "SensorThings $filter: eq ne gt ge lt le, and or not, parentheses; Observations: phenomenonTime and resultTime with ISO 8601 literals, result, @iot.id, Datastream/@iot.id, Datastream/ObservedProperty/name, Datastream/Thing/@iot.id and name; Things: @iot.id, name, properties/system|city|street; Datastreams: @iot.id, ObservedProperty/name, unitOfMeasurement/symbol, Thing/@iot.id and name; Locations: geo.intersects(location, geography'POLYGON((...))' or 'BBOX(...)'); startswith, endswith, contains, substringof, tolower, toupper, length on the text properties that are one column",
    "example": "phenomenonTime ge 2025-11-01T00:00:00Z and result gt 40"},
  "select": {"name": "$select", "in": "query", "schema": {"type": "string"},
    "description": "the properties to return, comma separated"},
  "orderby": {"name": "$orderby", "in": "query", "schema": {"type": "string"},
    "description": "Observations: phenomenonTime, resultTime or result, asc or desc (result may be followed by phenomenonTime in the same direction); the other sets: @iot.id"},
  "top": {"name": "$top", "in": "query", "schema": {"type": "integer", "minimum": 0, "default": 100},
    "description": "entities a page; above 10000, pages of 10000 with an @iot.nextLink"},
  "skip": {"name": "$skip", "in": "query", "schema": {"type": "integer", "minimum": 0}},
  "count": {"name": "$count", "in": "query", "schema": {"type": "boolean"},
    "description": "adds @iot.count: exact where cheap, otherwise an estimate that says so"},
  "expand": {"name": "$expand", "in": "query", "schema": {"type": "string"},
    "description": "one level of navigation properties, each with its own $select, $filter, $orderby, $top, $skip, $count",
    "example": "Datastreams($select=name;$top=5)"},
  "skiptoken": {"name": "$skiptoken", "in": "query", "schema": {"type": "string"},
    "description": "where the next page begins, as an @iot.nextLink writes it"},
  "resultFormat": {"name": "$resultFormat", "in": "query", "schema": {"type": "string", "enum": ["dataArray"]}}
}
})json";

}  // namespace

Poco::JSON::Object::Ptr openApiComponents() {
    return Poco::JSON::Parser().parse(kComponents).extract<Poco::JSON::Object::Ptr>();
}

}  // namespace citysense::api
