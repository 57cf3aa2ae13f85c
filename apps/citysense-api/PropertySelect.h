// $select: which keys of an entity's JSON the answer keeps. As SensorThings 1.1 (9.3.3.2) says, only
// the properties selected: "id" (or "@iot.id") and "selfLink" (or "@iot.selfLink") are kept when
// selected too, and a navigation property keeps its @iot.navigationLink.
#pragma once

#include "SensingModel.h"
#include "query/Expression.h"

#include <Poco/JSON/Object.h>

#include <string>
#include <vector>

namespace citysense::api {

/// The JSON keys that `select` (the paths of the option `option`, whose text is `text`) keeps of an
/// entity of `type`; empty when `select` is. Throws QueryError(option, position of the path in `text`,
/// ...) for a path that is no property of `type`.
std::vector<std::string> selectedKeys(EntityType type, const std::vector<PropertyPath>& select,
                                      const std::string& text, const std::string& option);

/// Removes every key of `object` but `keys`; with no `keys`, keeps all.
void keepOnly(Poco::JSON::Object& object, const std::vector<std::string>& keys);

}  // namespace citysense::api
