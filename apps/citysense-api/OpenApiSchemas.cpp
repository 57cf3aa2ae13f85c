#include "OpenApiSchemas.h"

#include "JsonObjects.h"

namespace citysense::api::openapi {

using Poco::JSON::Object;

Object::Ptr schemaReference(const std::string& name) {
    auto result = orderedObject();
    result->set("$ref", "#/components/schemas/" + name);
    return result;
}

Object::Ptr stringSchema(const std::string& pattern) {
    auto schema = orderedObject();
    schema->set("type", "string");
    if (!pattern.empty())
        schema->set("pattern", pattern);
    return schema;
}

Object::Ptr mediaContent(const std::string& mediaType, const Object::Ptr& schema) {
    auto media = orderedObject();
    media->set("schema", schema);
    auto result = orderedObject();
    result->set(mediaType, media);
    return result;
}

Object::Ptr response(const std::string& description, const Object::Ptr& content) {
    auto result = orderedObject();
    result->set("description", description);
    if (content)
        result->set("content", content);
    return result;
}

Object::Ptr errorResponse(const std::string& description) {
    return response(description, mediaContent("application/json", schemaReference("Error")));
}

}  // namespace citysense::api::openapi
