// The reusable parts of citysense-api's OpenAPI document: the schemas of its answers (the SensorThings
// entities, the air-quality resources, errors) and the SensorThings query options as parameters.
#pragma once

#include <Poco/JSON/Object.h>

namespace citysense::api {

/// The document's "components" object, parsed anew on each call.
Poco::JSON::Object::Ptr openApiComponents();

}  // namespace citysense::api
