#include "Functions.h"

#include <array>

namespace citysense::api {
namespace {

// SensorThings 1.1, 9.3.3.5.2 (contains is OData 4.0's successor of substringof).
constexpr std::array<FunctionInfo, 8> kFunctions{{
    {"geo.intersects", Function::GeoIntersects, 2},
    {"substringof", Function::SubstringOf, 2},
    {"startswith", Function::StartsWith, 2},
    {"endswith", Function::EndsWith, 2},
    {"contains", Function::Contains, 2},
    {"tolower", Function::ToLower, 1},
    {"toupper", Function::ToUpper, 1},
    {"length", Function::Length, 1},
}};

}  // namespace

const FunctionInfo* findFunction(std::string_view name) {
    for (const FunctionInfo& info : kFunctions)
        if (info.name == name)
            return &info;
    return nullptr;
}

const FunctionInfo& functionInfo(Function function) {
    for (const FunctionInfo& info : kFunctions)
        if (info.function == function)
            return info;
    return kFunctions.front();  // unreachable: every Function has an entry
}

}  // namespace citysense::api
