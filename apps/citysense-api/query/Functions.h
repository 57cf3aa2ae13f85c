// The functions a $filter may call, by name, with the number of arguments each takes. Any other name
// followed by '(' is refused as an unsupported function.
#pragma once

#include "Expression.h"

#include <cstddef>
#include <string_view>

namespace citysense::api {

struct FunctionInfo {
    std::string_view name;
    Function function;
    std::size_t arity;
};

/// The entry named `name` (case-sensitive, as in SensorThings), or nullptr.
const FunctionInfo* findFunction(std::string_view name);

const FunctionInfo& functionInfo(Function function);

}  // namespace citysense::api
