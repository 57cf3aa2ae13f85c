#include "PropertySelect.h"

#include "query/QueryError.h"

#include <algorithm>
#include <array>

namespace citysense::api {
namespace {

/// The properties (not the navigation properties) of each type, as EntityJson writes them.
struct TypeProperties {
    EntityType type;
    std::array<const char*, 4> names;  ///< nullptr after the last
};

constexpr std::array<TypeProperties, 6> kProperties = {{
    {EntityType::Thing, {"name", "description", "properties", nullptr}},
    {EntityType::Location, {"name", "description", "encodingType", "location"}},
    {EntityType::Datastream, {"name", "description", "unitOfMeasurement", "observationType"}},
    {EntityType::Sensor, {"name", "description", "encodingType", "metadata"}},
    {EntityType::ObservedProperty, {"name", "definition", "description", nullptr}},
    {EntityType::Observation, {"phenomenonTime", "resultTime", "result", "resultQuality"}},
}};

bool hasProperty(EntityType type, const std::string& name) {
    for (const auto& entry : kProperties) {
        if (entry.type != type)
            continue;
        for (const char* property : entry.names) {
            if (property && name == property)
                return true;
        }
    }
    return false;
}

/// The JSON key of `name` on `type`; empty when it has no such property.
std::string keyOf(EntityType type, const std::string& name) {
    if (name == "id" || name == "@iot.id")
        return "@iot.id";
    if (name == "selfLink" || name == "@iot.selfLink")
        return "@iot.selfLink";
    if (hasProperty(type, name))
        return name;
    if (navigation(type, name))
        return name + "@iot.navigationLink";
    return "";
}

std::string pathText(const PropertyPath& path) {
    std::string text;
    for (const std::string& segment : path.segments)
        text += (text.empty() ? "" : "/") + segment;
    return text;
}

}  // namespace

std::vector<std::string> selectedKeys(EntityType type, const std::vector<PropertyPath>& select,
                                      const std::string& text, const std::string& option) {
    std::vector<std::string> keys;
    std::size_t searchFrom = 0;
    for (const PropertyPath& path : select) {
        const std::string written = pathText(path);
        // The paths are in `text` in order, separated by commas and spaces.
        const std::size_t found = text.find(written, searchFrom);
        const std::size_t position = found == std::string::npos ? 0 : found;
        searchFrom = found == std::string::npos ? searchFrom : found + written.size();
        if (path.segments.size() != 1)
            throw QueryError(option, position, "select a whole property, not " + written);
        const std::string key = keyOf(type, written);
        if (key.empty())
            throw QueryError(option, position,
                             std::string(entitySetName(type)) + " have no property " + written);
        if (std::find(keys.begin(), keys.end(), key) == keys.end())
            keys.push_back(key);
    }
    return keys;
}

void keepOnly(Poco::JSON::Object& object, const std::vector<std::string>& keys) {
    if (keys.empty())
        return;
    std::vector<std::string> names;
    object.getNames(names);
    for (const std::string& name : names) {
        if (std::find(keys.begin(), keys.end(), name) == keys.end())
            object.remove(name);
    }
}

}  // namespace citysense::api
