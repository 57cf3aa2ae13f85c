#include "QueryError.h"

#include <utility>

namespace citysense::api {

QueryError::QueryError(std::string option, std::size_t position, std::string message)
    : std::runtime_error(option + " at " + std::to_string(position) + ": " + message),
      option_(std::move(option)),
      position_(position),
      message_(std::move(message)) {}

}  // namespace citysense::api
