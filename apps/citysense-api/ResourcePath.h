// The resource path of a SensorThings request, below the version ("/v1.1"): an entity set, optionally
// an entity of it by id, then navigation properties, each checked against the entity model:
//   Things   Things(1)   Things(1)/Datastreams   Datastreams(3)/Thing/Locations   Observations('3-17640...')
#pragma once

#include "SensingModel.h"

#include <stdexcept>
#include <string>
#include <vector>

namespace citysense::api {

struct ResourcePath {
    EntityType set;                          ///< the entity set the path starts at
    std::optional<EntityId> id;              ///< the entity of it, if one is addressed
    std::vector<std::string> navigations{};  ///< then these navigation properties, in order

    /// The type the path ends at, and whether it addresses one entity rather than a collection.
    EntityType target() const;
    bool single() const;
};

/// A path that is not well formed (400): a malformed segment or id.
class MalformedPath : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// A path well formed but naming something the model does not have (404): an unknown entity set or
/// navigation property.
class UnknownPath : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Parses the path below "/v1.1/" (e.g. "Things(1)/Datastreams", already percent-decoded). Throws
/// MalformedPath or UnknownPath with a message naming the segment.
ResourcePath parseResourcePath(const std::string& path);

}  // namespace citysense::api
