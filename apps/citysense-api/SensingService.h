// Answers the SensorThings part of the API (everything below /v1.1): reads the query options (a
// QueryError is a 400 naming the option and the position in it), resolves the resource path against
// the store one hop at a time (a missing entity anywhere on the path is a 404), then writes the
// entity, or a page of the collection with an @iot.nextLink while more rows follow.
#pragma once

#include "EntityJson.h"
#include "ReadingsStore.h"
#include "ResourcePath.h"
#include "query/QueryError.h"
#include "query/QueryOptions.h"

#include <Poco/URI.h>

#include <string>

namespace citysense::api {

struct JsonAnswer {
    int status = 200;
    std::string body;
};

/// {"code":404,"type":"error","message":"..."}
JsonAnswer errorAnswer(int status, const std::string& message);

/// {"code":400,"type":"error","option":"$filter","position":17,"message":"$filter at 17: ..."}
JsonAnswer optionErrorAnswer(const QueryError& error);

/// What a collection is asked for: by the request's options, or by those of an $expand.
struct CollectionRequest {
    const CollectionOptions& options;
    ResultFormat format;
    const std::optional<std::string>& skipToken;
    const std::vector<QueryParameter>& parameters;  ///< as written: the @iot.nextLink repeats them
    const std::vector<Expand>& expand;              ///< embedded in each entity of the page
};

class SensingService {
public:
    explicit SensingService(ReadingsStore& store) : _store(store) {}

    /// `path`: below "/v1.1/" ("" for the service root document), percent-decoded; `query`: the query
    /// string as sent (without '?'); `serviceRoot`: the start of every link ("http://host:8280/v1.1").
    JsonAnswer answer(const std::string& path, const std::string& query, const std::string& serviceRoot);

private:
    /// The entity's JSON; nullptr when there is none.
    Poco::JSON::Object::Ptr entity(const EntityJson& json, EntityType type, const EntityId& id);
    /// Where a single-valued navigation property of an existing entity leads; nothing when nowhere.
    std::optional<EntityId> follow(EntityType type, const EntityId& id, const std::string& name);
    Poco::JSON::Object::Ptr collection(const EntityJson& json, const ResourcePath& path, EntityType type,
                                       const Selection& selection, const CollectionRequest& request);
    /// Embeds in `object`, the entity `id` of `type`, each navigation property `expand` names: one
    /// entity, or the first page of a collection (with its @iot.nextLink while more follow).
    void expandInto(Poco::JSON::Object& object, const EntityJson& json, EntityType type, const EntityId& id,
                    const std::vector<Expand>& expand);

    /// Sets @iot.count, and "@citysense.countIsEstimate": true when it is the store's estimate.
    void setCount(Poco::JSON::Object& object, EntityType type, const Selection& selection,
                  const Expression* filter);

    ReadingsStore& _store;
};

}  // namespace citysense::api
