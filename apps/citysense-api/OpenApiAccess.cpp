#include "OpenApiAccess.h"

#include "JsonObjects.h"
#include "OpenApiSchemas.h"

#include <Poco/JSON/Array.h>

#include <array>
#include <string>

namespace citysense::api {

namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

Object::Ptr integerHeader(const std::string& description) {
    auto schema = orderedObject();
    schema->set("type", "integer");
    auto header = orderedObject();
    header->set("description", description);
    header->set("schema", schema);
    return header;
}

Object::Ptr rateHeaders(bool refused) {
    auto headers = orderedObject();
    headers->set("X-RateLimit-Limit", integerHeader("requests allowed in the client's tightest window"));
    headers->set("X-RateLimit-Remaining", integerHeader("requests left in it now"));
    headers->set("X-RateLimit-Reset", integerHeader("seconds until it is full again"));
    if (refused)
        headers->set("Retry-After", integerHeader("seconds until a request is allowed again"));
    return headers;
}

Object::Ptr errorAnswer(const std::string& description, bool refused) {
    auto answer = openapi::errorResponse(description);
    answer->set("headers", rateHeaders(refused));
    return answer;
}

}  // namespace

Object::Ptr accessSecuritySchemes() {
    auto bearer = orderedObject();
    bearer->set("type", "http");
    bearer->set("scheme", "bearer");
    bearer->set("description",
                "An API key (csk_...) from citysense-api keys add. live:read: readings up to now; "
                "history:read: readings older than the embargo, under the key's own rate limit; a key "
                "may be limited to some stations, the others then answer 404");
    auto header = orderedObject();
    header->set("type", "apiKey");
    header->set("in", "header");
    header->set("name", "X-API-Key");
    header->set("description", "The same key in a header of its own");
    auto schemes = orderedObject();
    schemes->set("bearerKey", bearer);
    schemes->set("headerKey", header);
    return schemes;
}

void addAccessAnswers(Object& operation) {
    Array::Ptr security = new Array;
    security->add(orderedObject());  // anonymous: readings older than the embargo
    for (const char* scheme : {"bearerKey", "headerKey"}) {
        auto requirement = orderedObject();
        requirement->set(scheme, Array::Ptr(new Array));
        security->add(requirement);
    }
    operation.set("security", security);
    Object::Ptr responses = operation.getObject("responses");
    std::vector<std::string> names;
    responses->getNames(names);
    for (const std::string& name : names)
        responses->getObject(name)->set("headers", rateHeaders(false));
    responses->set("401", errorAnswer("an unknown or an expired API key: the message says which", false));
    responses->set("403", errorAnswer("the API key has neither live:read nor history:read", false));
    responses->set("429", errorAnswer("too many requests: come back after Retry-After seconds", true));
}

}  // namespace citysense::api
