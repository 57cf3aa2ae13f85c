// citysense-api's OpenAPI 3.0 document (/openapi.json): an operation for every route ApiRoutes lists,
// with its parameters and the shapes of its answers. A route with no description here is left out of
// the document, which its test catches.
#pragma once

#include <string>

namespace citysense::api {

/// The document as JSON text, built once.
const std::string& openApiDocument();

}  // namespace citysense::api
