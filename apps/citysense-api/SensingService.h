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

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

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

/// A page of a collection, as its JSON object holds it.
struct CollectionPage {
    std::optional<ObservationCount> count;  ///< with $count=true
    std::string nextLink;                   ///< empty on the last page
    std::string values;                     ///< the JSON array of its entities
    std::size_t size = 0;                   ///< how many entities it holds
};

/// An entity found: built as a Poco::JSON object, or an Observation's reading, written as it is.
using Entity = std::variant<Poco::JSON::Object::Ptr, ReadingRow>;

/// What the items of an $expand that name one entity (a Datastream's Thing, Sensor or
/// ObservedProperty, an Observation's Datastream) embed in the entities of a page, read for the whole
/// page at once: by item, then by the id literal (idLiteral()) of the entity it is embedded in. Empty
/// for the items that name a collection.
using ExpandTargets = std::vector<std::map<std::string, std::pair<EntityId, Entity>>>;

class SensingService {
public:
    explicit SensingService(ReadingsStore& store) : _store(store) {}

    /// `path`: below "/v1.1/" ("" for the service root document), percent-decoded; `query`: the query
    /// string as sent (without '?'); `serviceRoot`: the start of every link ("http://host:8280/v1.1").
    JsonAnswer answer(const std::string& path, const std::string& query, const std::string& serviceRoot);

private:
    /// The entity; nothing when there is none.
    std::optional<Entity> entity(const EntityJson& json, EntityType type, const EntityId& id);
    /// Where a single-valued navigation property of an existing entity leads; nothing when nowhere.
    std::optional<EntityId> follow(EntityType type, const EntityId& id, const std::string& name);
    CollectionPage collection(const EntityJson& json, const ResourcePath& path, EntityType type,
                              const Selection& selection, const CollectionRequest& request);
    /// The targets of `expand` from the entities `ids` of `type`: one query per item, whatever the
    /// number of entities.
    ExpandTargets expandTargets(const EntityJson& json, EntityType type, const std::vector<EntityId>& ids,
                                const std::vector<Expand>& expand);
    /// Writes `entity`, `id` of `type`, as one object: the members `keys` keeps (all when empty), then
    /// those `expand` embeds (`targets`: expandTargets() of a page that holds the entity).
    void write(JsonWriter& out, const EntityJson& json, EntityType type, const EntityId& id,
               const Entity& entity, const std::vector<std::string>& keys, const std::vector<Expand>& expand,
               const ExpandTargets& targets);
    /// Writes, into the object of the entity `id` of `type` open in `out`, each navigation property
    /// `expand` names: one entity (from `targets`), or the first page of a collection (with its
    /// @iot.nextLink while more follow).
    void expandInto(JsonWriter& out, const EntityJson& json, EntityType type, const EntityId& id,
                    const std::vector<Expand>& expand, const ExpandTargets& targets);

    /// @iot.count: exact, or the store's estimate for all Observations.
    ObservationCount count(EntityType type, const Selection& selection, const Expression* filter);

    ReadingsStore& _store;
};

}  // namespace citysense::api
