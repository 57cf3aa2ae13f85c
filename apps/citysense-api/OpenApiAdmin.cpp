#include "OpenApiAdmin.h"

#include <Poco/JSON/Parser.h>

namespace citysense::api {

namespace {

// The operations share their parameters, schemas and error answers, written once here and repeated in
// the text by the build below.
constexpr const char* kPathParameters = R"json(
  {"name": "system", "in": "path", "required": true, "schema": {"type": "string"}, "example": "hypo_city"},
  {"name": "city", "in": "path", "required": true, "schema": {"type": "string"}, "example": "city_01"},
  {"name": "street", "in": "path", "required": true, "schema": {"type": "string"}, "example": "street_01"})json";

constexpr const char* kDocuments = R"json({"type": "object", "properties": {
  "gateway": {"type": "string", "example": "hypo_city/city_01/street_01"},
  "state": {"type": "string", "enum": ["none", "pending", "applied", "rejected", "expired", "ignored-stale"]},
  "desired": {"type": "object", "nullable": true, "description": "the retained desired document (null: none)",
    "properties": {"version": {"type": "integer"}, "request": {"type": "string"},
      "expires": {"type": "string", "format": "date-time"},
      "changes": {"type": "object", "additionalProperties": {"type": "object",
        "additionalProperties": {"type": "string"}}},
      "unreadable": {"type": "string", "description": "instead of the rest, when it cannot be read"}}},
  "reported": {"type": "object", "nullable": true, "description": "the gateway's report (null: none)",
    "properties": {"version": {"type": "integer"}, "request": {"type": "string"},
      "status": {"type": "string", "enum": ["applied", "rejected", "expired", "ignored-stale"]},
      "time": {"type": "string", "format": "date-time"},
      "applied_version": {"type": "integer", "description": "the version the gateway runs; 0: none"},
      "errors": {"type": "array", "items": {"type": "object", "properties": {
        "section": {"type": "string"}, "key": {"type": "string"}, "message": {"type": "string"}}}}}}}})json";

constexpr const char* kErrors = R"json(
  "400": {"description": "a bad path, parameter or body, named", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
  "401": {"description": "no API key, or an unknown or expired one", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
  "403": {"description": "the API key does not have the admin scope", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
  "404": {"description": "[admin] remote_config is off", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
  "503": {"description": "the broker cannot be reached, or refused the operator identity", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}})json";

std::string pathItemText() {
    const std::string ok = R"json({"application/json": {"schema": )json" + std::string(kDocuments) + "}}";
    const std::string security = R"json("security": [{"bearerKey": []}, {"headerKey": []}])json";
    const std::string change =
        R"json({"summary": "Changes the gateway's remote configuration: the changes go on the current desired )json"
        R"json(document (one the operator's key signed), which is signed and published retained one version newer", )json" +
        security + R"json(, "parameters": [)json" + kPathParameters + R"json(,
  {"name": "wait", "in": "query", "required": false, "schema": {"type": "string", "example": "5s"},
   "description": "wait this long (at most 30s) for the gateway's report and answer with it"},
  {"name": "expires", "in": "query", "required": false, "schema": {"type": "string", "default": "1d"},
   "description": "how long the document may still be applied"},
  {"name": "replace", "in": "query", "required": false, "schema": {"type": "boolean", "default": false},
   "description": "start from no changes instead of the current document's"},
  {"name": "version", "in": "query", "required": false, "schema": {"type": "integer", "minimum": 1},
   "description": "this version instead of the next one"}],
 "requestBody": {"required": true,
   "description": "sections and keys of the ordinary configuration; null or an empty string drops a key (at most 64 KiB)",
   "content": {"application/json": {"schema": {"type": "object", "additionalProperties": {"type": "object",
     "additionalProperties": {"oneOf": [{"type": "string"}, {"type": "number"}, {"type": "boolean"}], "nullable": true}}},
     "example": {"driver.no2": {"interval": "5s"}, "driver.so2": {"enabled": "false"}}}}},
 "responses": {
  "200": {"description": "published, and the gateway decided on it within wait: the documents and state", "content": )json" +
        ok + R"json(},
  "202": {"description": "published; the gateway has not decided yet (state pending)", "content": )json" +
        ok +
        R"json(},
  "409": {"description": "the current desired document was not signed with the operator's key: replace=true starts from nothing", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
  "413": {"description": "the body is larger than 64 KiB", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},)json" +
        kErrors + "}}";
    return R"json({"get": {"summary": "A gateway's remote configuration: the desired and reported documents and the state, as citysense-ctl config show", )json" +
           security + R"json(, "parameters": [)json" + kPathParameters + R"json(],
 "responses": {"200": {"description": "the documents and the state", "content": )json" +
           ok + "}," + kErrors + R"json(}}, "post": )json" + change + R"json(, "patch": )json" + change + "}";
}

}  // namespace

Poco::JSON::Object::Ptr gatewayConfigPathItem() {
    return Poco::JSON::Parser().parse(pathItemText()).extract<Poco::JSON::Object::Ptr>();
}

}  // namespace citysense::api
