#include "OpenApiDocument.h"

#include "LiveOpenApi.h"

#include "ApiRoutes.h"
#include "JsonObjects.h"
#include "OpenApiAccess.h"
#include "OpenApiAdmin.h"
#include "OpenApiComponents.h"
#include "OpenApiSchemas.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <array>
#include <sstream>

namespace citysense::api {

namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;
using namespace openapi;

/// A parameter of a resource beyond the standard.
struct ParameterText {
    const char* name;
    bool required;
    const char* schema;  ///< "string", "date-time", "integer", or values separated by '|' for an enum
    const char* description;
};

/// A resource beyond the standard, after an entity of a set.
struct ResourceText {
    const char* name;
    const char* summary;
    std::array<ParameterText, 4> parameters;  ///< up to four; the unused have no name
    const char* schema;                       ///< of the JSON answer; nullptr: CSV only
    bool csv;                                 ///< also (or only) text/csv
};

constexpr std::array<ResourceText, 4> kResources = {{
    {"Aggregates",
     "The Datastream's aggregates per hour, day, month or year, with their validity by Directive 2008/50/EC",
     {{{"interval", true, "1h|1d|1mo|1y", "the period of each aggregate"},
       {"from", true, "date-time", "the start of the range (ISO 8601, Z or an offset)"},
       {"to", true, "date-time", "the end of the range, after from; at most ten years of hours"},
       {"unit", false, "ug/m3", "NO2 and SO2 in µg/m³ at 20 °C and 101.325 kPa"}}},
     "Aggregates",
     true},
    {"Compliance",
     "The station's year against an EU limit set: exceedances, data capture, verdicts, alert episodes",
     {{{"year", true, "integer", "a year from 1970 to this one"},
       {"limits", false, "2008/50/EC|2024/2881", "the limit set; the one in force when not given"}}},
     "Compliance",
     false},
    {"AirQualityIndex",
     "The European Air Quality Index of the station per hour (the last 24 whole hours unless from= and to=)",
     {{{"from", false, "date-time", "the start of the range"},
       {"to", false, "date-time", "the end of the range; at most a year after from"}}},
     "AirQualityIndex",
     false},
    {"Export",
     "A station's month as CSV, every reading of every Datastream, by time then Datastream, streamed with "
     "no row cap: time,datastream,quantity,unit,value,quality",
     {{{"month", true, "YYYY-MM", "the UTC month, e.g. 2025-03"}}},
     nullptr,
     true},
}};

/// {"$ref": TO}, for the shared parameters.
Object::Ptr reference(const std::string& to) {
    auto result = orderedObject();
    result->set("$ref", to);
    return result;
}

/// The schema name of an entity type: "Thing", "ObservedProperty".
std::string entitySchemaName(EntityType type) {
    const std::string set = entitySetName(type);
    return set == "ObservedProperties" ? "ObservedProperty" : set.substr(0, set.size() - 1);
}

Object::Ptr collectionSchema(EntityType type) {
    auto items = schemaReference(entitySchemaName(type));
    auto value = orderedObject();
    value->set("type", "array");
    value->set("items", items);
    auto count = orderedObject();
    count->set("type", "integer");
    auto next = schemaReference("Link");
    auto properties = orderedObject();
    properties->set("@iot.count", count);
    properties->set("@iot.nextLink", next);
    properties->set("value", value);
    auto schema = orderedObject();
    schema->set("type", "object");
    schema->set("properties", properties);
    return schema;
}

Object::Ptr parameter(const ParameterText& text, const char* in = "query") {
    auto result = orderedObject();
    result->set("name", text.name);
    result->set("in", in);
    result->set("required", text.required);
    result->set("description", text.description);
    auto schema = orderedObject();
    const std::string kind = text.schema;
    if (kind == "integer") {
        schema->set("type", "integer");
    } else if (kind == "date-time") {
        schema->set("type", "string");
        schema->set("format", "date-time");
    } else if (kind == "YYYY-MM") {
        schema->set("type", "string");
        schema->set("pattern", "^[0-9]{4}-[0-9]{2}$");
    } else {
        schema->set("type", "string");
        Array::Ptr values = new Array;
        std::istringstream in(kind);
        for (std::string value; std::getline(in, value, '|');)
            values->add(value);
        schema->set("enum", values);
    }
    result->set("schema", schema);
    return result;
}

Object::Ptr idParameter(EntityType set) {
    auto result = orderedObject();
    result->set("name", "id");
    result->set("in", "path");
    result->set("required", true);
    auto schema = orderedObject();
    if (set == EntityType::Observation) {
        schema->set("type", "string");
        schema->set("pattern", "^[0-9]+-[0-9]+$");
        result->set("description", "SENSOR-MICROS: the sensor and the reading's time in µs since 1970 UTC");
    } else {
        schema->set("type", "integer");
    }
    result->set("schema", schema);
    return result;
}

Array::Ptr queryOptions(std::initializer_list<const char*> names) {
    Array::Ptr result = new Array;
    for (const char* name : names)
        result->add(reference(std::string("#/components/parameters/") + name));
    return result;
}

Object::Ptr operation(const std::string& summary, const Array::Ptr& parameters,
                      const Object::Ptr& responses) {
    auto result = orderedObject();
    result->set("summary", summary);
    if (parameters && parameters->size() > 0)
        result->set("parameters", parameters);
    result->set("responses", responses);
    return result;
}

Object::Ptr serviceOperation(ServicePath path) {
    auto responses = orderedObject();
    switch (path) {
        case ServicePath::Health:
            responses->set("200", response("the store answers",
                                           mediaContent("application/json", schemaReference("Health"))));
            responses->set("503", response("the store does not answer",
                                           mediaContent("application/json", schemaReference("Health"))));
            return operation("Whether the readings store answers, and the requests served", nullptr,
                             responses);
        case ServicePath::Metrics:
            responses->set(
                "200", response("Prometheus text exposition", mediaContent("text/plain", stringSchema())));
            return operation("Requests by status code, their durations, connections refused", nullptr,
                             responses);
        case ServicePath::LatestGeoJson:
            responses->set("200",
                           response("one Feature per station",
                                    mediaContent("application/geo+json", schemaReference("LatestValues"))));
            return operation(
                "Every station's latest value of each quantity, its age, staleness and the current EAQI band",
                nullptr, responses);
        case ServicePath::OpenApi:
            responses->set("200",
                           response("this document", mediaContent("application/json", stringSchema())));
            return operation("This OpenAPI 3.0 document", nullptr, responses);
        case ServicePath::Live:
            return liveOperation();
    }
    return nullptr;
}

Object::Ptr entityOperation(const Route& route) {
    const bool collection =
        route.kind == Route::Kind::Collection ||
        (route.kind == Route::Kind::Navigation && !navigation(route.set, route.name)->single);
    const EntityType target =
        route.kind == Route::Kind::Navigation ? navigation(route.set, route.name)->target : route.set;
    Array::Ptr parameters = collection ? queryOptions({"filter", "select", "orderby", "top", "skip", "count",
                                                       "expand", "skiptoken", "resultFormat"})
                                       : queryOptions({"select", "expand"});
    if (route.kind != Route::Kind::Collection)
        parameters->add(idParameter(route.set));
    std::string summary =
        collection ? "The " + std::string(entitySetName(target)) : "One " + entitySchemaName(target);
    if (route.kind == Route::Kind::Navigation)
        summary += " of the " + entitySchemaName(route.set) +
                   " (navigation properties can be chained: " + "Datastreams(3)/Thing/Locations)";
    auto ok = mediaContent("application/json",
                           collection ? collectionSchema(target) : schemaReference(entitySchemaName(target)));
    // The Datastream's readings as CSV (ExportService): every one in the range, no row cap, streamed.
    const bool exportable = route.kind == Route::Kind::Navigation && route.set == EntityType::Datastream &&
                            route.name == "Observations";
    if (exportable) {
        auto csv = orderedObject();
        csv->set("schema", stringSchema());
        csv->set("example",
                 "phenomenonTime,result (ppb),resultQuality\n2025-11-24T16:00:00.000000Z,21.5,ok\n");
        ok->set("text/csv", csv);
        parameters = new Array;
        parameters->add(idParameter(route.set));
        for (const char* name :
             {"filter", "select", "orderby", "top", "skip", "count", "expand", "skiptoken"})
            parameters->add(reference(std::string("#/components/parameters/") + name));
        parameters->add(parameter({"$resultFormat", false, "dataArray|csv",
                                   "csv: every reading of the range, in time order, streamed with no row cap "
                                   "(no other $option with it)"}));
        parameters->add(
            parameter({"from", false, "date-time", "with $resultFormat=csv: the start of the range"}));
        parameters->add(
            parameter({"to", false, "date-time", "with $resultFormat=csv: the end of the range"}));
    }
    auto responses = orderedObject();
    responses->set("200", response(summary, ok));
    responses->set("400", errorResponse("a malformed path, id or query option, named"));
    responses->set("404", errorResponse("no such entity"));
    return operation(summary, parameters, responses);
}

Object::Ptr resourceOperation(const Route& route) {
    for (const ResourceText& text : kResources) {
        if (route.name != text.name)
            continue;
        Array::Ptr parameters = new Array;
        parameters->add(idParameter(route.set));
        for (const ParameterText& each : text.parameters) {
            if (each.name)
                parameters->add(parameter(each));
        }
        Object::Ptr ok;
        if (text.schema)
            ok = mediaContent("application/json", schemaReference(text.schema));
        if (text.csv) {
            if (text.schema)
                parameters->add(
                    parameter({"$resultFormat", false, "csv", "the answer as CSV, its header naming units"}));
            if (!ok)
                ok = orderedObject();
            auto csv = orderedObject();
            csv->set("schema", stringSchema());
            ok->set("text/csv", csv);
        }
        auto responses = orderedObject();
        responses->set("200", response(text.summary, ok));
        responses->set("400", errorResponse("a parameter missing, malformed, unknown or given twice, named"));
        responses->set("404", errorResponse("no such Thing or Datastream"));
        return operation(text.summary, parameters, responses);
    }
    return nullptr;
}

Object::Ptr rootOperation() {
    auto responses = orderedObject();
    responses->set(
        "200", response("the entity sets", mediaContent("application/json", schemaReference("ServiceRoot"))));
    return operation("The SensorThings service root: its entity sets and conformance", nullptr, responses);
}

std::string build() {
    auto paths = orderedObject();
    for (const Route& route : servedRoutes()) {
        if (route.kind == Route::Kind::Admin) {
            paths->set(route.path, gatewayConfigPathItem());
            continue;
        }
        Object::Ptr get;
        switch (route.kind) {
            case Route::Kind::Service:
                get = serviceOperation(route.service);
                break;
            case Route::Kind::Root:
                get = rootOperation();
                break;
            case Route::Kind::Collection:
            case Route::Kind::Entity:
            case Route::Kind::Navigation:
                get = entityOperation(route);
                break;
            case Route::Kind::Resource:
                get = resourceOperation(route);
                break;
            case Route::Kind::Admin:
                break;
        }
        if (!get)
            continue;  // undocumented: the test says which
        if (route.kind != Route::Kind::Service ||
            (route.service != ServicePath::Health && route.service != ServicePath::Metrics))
            addAccessAnswers(*get);
        auto item = orderedObject();
        item->set("get", get);
        paths->set(route.path, item);
    }
    auto info = orderedObject();
    info->set("title", "citysense-api");
    info->set("version", "1.1");
    info->set(
        "description",
        "The city's readings, read-only, as OGC SensorThings API 1.1 (Part 1: Sensing), with the "
        "air-quality figures of Directive 2008/50/EC, the latest values as GeoJSON and CSV exports. "
        "Errors are JSON: {\"code\":400,\"type\":\"error\",\"parameter\":\"from\",\"message\":\"...\"}. "
        "Without a key only readings older than the embargo (1 h by default) are served; /health and "
        "/metrics are neither limited nor checked. Keys with the admin scope may read and change gateways' "
        "remote configuration under /v1.1/admin.");
    auto document = orderedObject();
    document->set("openapi", "3.0.3");
    document->set("info", info);
    document->set("paths", paths);
    Object::Ptr components = openApiComponents();
    components->set("securitySchemes", accessSecuritySchemes());
    document->set("components", components);
    std::ostringstream text;
    document->stringify(text);
    return text.str();
}

}  // namespace

const std::string& openApiDocument() {
    static const std::string document = build();
    return document;
}

}  // namespace citysense::api
