// The JSON objects citysense-api builds its answers and its OpenAPI document from: their members keep the
// order the code sets them in, so what a client reads follows the specification's order.
#pragma once

#include <Poco/JSON/Object.h>

namespace citysense::api {

/// An object whose keys keep the order they were set in.
inline Poco::JSON::Object::Ptr orderedObject() {
    return new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
}

}  // namespace citysense::api
