// What the OpenAPI document says of GET /v1.1/live (LiveService.h): its filters, Last-Event-ID, the
// event stream and its refusals.
#pragma once

#include <Poco/JSON/Object.h>

namespace citysense::api {

/// The "get" operation of /v1.1/live.
Poco::JSON::Object::Ptr liveOperation();

}  // namespace citysense::api
