// The pieces every part of the OpenAPI document is made of (OpenApiDocument, and the fragments of the
// live stream, the access rules and the admin routes): schemas, media content and the error answer.
#pragma once

#include <Poco/JSON/Object.h>

#include <string>

namespace citysense::api::openapi {

/// {"$ref": "#/components/schemas/NAME"}
Poco::JSON::Object::Ptr schemaReference(const std::string& name);

/// {"type": "string"}, with "pattern" when one is given.
Poco::JSON::Object::Ptr stringSchema(const std::string& pattern = "");

/// {MEDIA_TYPE: {"schema": SCHEMA}}
Poco::JSON::Object::Ptr mediaContent(const std::string& mediaType, const Poco::JSON::Object::Ptr& schema);

/// {"description": ..., "content": ...}, without "content" when it is null.
Poco::JSON::Object::Ptr response(const std::string& description,
                                 const Poco::JSON::Object::Ptr& content = nullptr);

/// An answer whose JSON body is the Error schema.
Poco::JSON::Object::Ptr errorResponse(const std::string& description);

}  // namespace citysense::api::openapi
