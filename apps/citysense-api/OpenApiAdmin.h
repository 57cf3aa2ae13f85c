// What the OpenAPI document says of the admin route (GatewayConfigService.h): its GET, POST and PATCH,
// the documents and state they answer with, the changes they take, and who may call them.
#pragma once

#include <Poco/JSON/Object.h>

namespace citysense::api {

/// The path item of /v1.1/admin/gateways/{system}/{city}/{street}/config.
Poco::JSON::Object::Ptr gatewayConfigPathItem();

}  // namespace citysense::api
