// What the OpenAPI document says of access (AccessControl.h): the two ways a key is sent (security
// schemes; every operation also works without one), and on every limited operation the 401, 403 and
// 429 answers and the X-RateLimit-* headers of every answer.
#pragma once

#include <Poco/JSON/Object.h>

namespace citysense::api {

/// The "securitySchemes" of the document's components: bearer and X-API-Key.
Poco::JSON::Object::Ptr accessSecuritySchemes();

/// Adds to `operation` (a limited one) its security, the 401, 403 and 429 answers, and the rate
/// headers of each of its answers.
void addAccessAnswers(Poco::JSON::Object& operation);

}  // namespace citysense::api
