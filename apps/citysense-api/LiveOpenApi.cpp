#include "LiveOpenApi.h"

#include "JsonObjects.h"
#include "OpenApiSchemas.h"

#include <Poco/JSON/Array.h>

namespace citysense::api {

namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;
using namespace openapi;

Object::Ptr parameter(const char* name, const char* in, const char* description, const std::string& pattern) {
    auto result = orderedObject();
    result->set("name", name);
    result->set("in", in);
    result->set("required", false);
    result->set("description", description);
    result->set("schema", stringSchema(pattern));
    return result;
}

}  // namespace

Object::Ptr liveOperation() {
    Array::Ptr parameters = new Array;
    parameters->add(parameter("things", "query", "only these Things (station ids), comma-separated",
                              "^[0-9]+(,[0-9]+)*$"));
    parameters->add(
        parameter("datastreams", "query", "only these Datastreams, comma-separated", "^[0-9]+(,[0-9]+)*$"));
    parameters->add(
        parameter("quantities", "query", "only these ObservedProperties by name, e.g. no2,so2", ""));
    parameters->add(parameter("Last-Event-ID", "header",
                              "resume after this event: the kept events after it come first, after an "
                              "`event: gap` when some are no longer kept",
                              "^[0-9]+$"));
    auto stream = orderedObject();
    stream->set("schema", stringSchema());
    stream->set(
        "example",
        "id: 1765015200123457\nevent: observation\ndata: {\"Datastream@iot.id\":3,\"Thing@iot.id\":1,"
        "\"ObservedProperty\":\"no2\",\"unit\":\"ppb\",\"phenomenonTime\":\"2026-12-06T10:00:00.123456Z\","
        "\"result\":12.5,\"resultQuality\":[\"ok\"]}\n\n");
    auto content = orderedObject();
    content->set("text/event-stream", stream);
    auto ok = orderedObject();
    ok->set("description",
            "Server-Sent Events, one `observation` per reading as it arrives, a `: keep-alive` comment "
            "after 15 s of silence; `event: end` when the key is revoked or expires");
    ok->set("content", content);
    auto responses = orderedObject();
    responses->set("200", ok);
    responses->set("400", errorResponse("a malformed filter or Last-Event-ID, named"));
    responses->set("404", errorResponse("the live stream is not enabled on this server"));
    responses->set("503", errorResponse("the server has as many streams open as it may, or is stopping"));
    auto operation = orderedObject();
    operation->set("summary",
                   "The readings as they arrive (Server-Sent Events), for keys with the live:read scope, of "
                   "the stations the key may see; 429 when the key has its max_streams open");
    operation->set("parameters", parameters);
    operation->set("responses", responses);
    return operation;
}

}  // namespace citysense::api
