#include "SensingService.h"

#include "JsonObjects.h"

#include "DataArray.h"
#include "GeoFilter.h"
#include "ObservationOrder.h"
#include "PropertySelect.h"

#include <citysense/Format.h>
#include <citysense/Quantity.h>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Stringifier.h>

#include <algorithm>
#include <limits>
#include <sstream>

namespace citysense::api {

namespace {

/// About the length of an entity's JSON (an Observation's is 400 bytes with a short service root).
constexpr std::size_t kEntityBytes = 512;

std::string text(const Poco::JSON::Object::Ptr& object) {
    std::ostringstream out;
    Poco::JSON::Stringifier::stringify(object, out);
    return out.str();
}

/// The canonical text of the path, for the nextLink.
std::string pathText(const ResourcePath& path) {
    std::string result = entitySetName(path.set);
    if (path.id)
        result += "(" + idLiteral(*path.id) + ")";
    for (const auto& name : path.navigations)
        result += "/" + name;
    return result;
}

std::int64_t number(const EntityId& id) {
    return std::get<std::int64_t>(id);
}

[[noreturn]] void refuseToken(const std::string& token) {
    throw QueryError("$skiptoken", 0, quoteText(token) + " is not a token this service gave out");
}

std::int64_t idAfter(const std::string& token) {
    const bool digits =
        !token.empty() && token.size() <= 18 && token.find_first_not_of("0123456789") == std::string::npos;
    if (!digits)
        refuseToken(token);
    return std::stoll(token);
}

/// Refused, never ignored: a parameter without '$' (it belongs to no SensorThings resource) and a
/// result format other than dataArray (csv is served by the export resources only).
void refuseUnserved(const QueryOptions& options) {
    if (!options.parameters.empty())
        throw QueryError(options.parameters.front().name, 0, "not a query option of this resource");
    if (options.resultFormat == ResultFormat::Csv)
        throw QueryError("$resultFormat", 0, "only dataArray is served here");
}

/// What the sets other than Observations do not take (yet); they come in @iot.id order.
void refuseObservationsOnly(EntityType type, const CollectionOptions& options, ResultFormat format) {
    const std::string set = entitySetName(type);
    const bool filtered =
        type == EntityType::Thing || type == EntityType::Datastream || type == EntityType::Location;
    if (options.filter && !filtered)
        throw QueryError(
            "$filter", 0,
            "not supported on " + set + " yet: on Observations, Things, Datastreams and Locations");
    if (options.skip != 0)
        throw QueryError("$skip", 0, "not supported on " + set + " yet, only on Observations");
    if (format == ResultFormat::DataArray)
        throw QueryError("$resultFormat", 0, "dataArray is the format of Observations, not of " + set);
    for (const OrderBy& order : options.orderBy) {
        const bool byId = order.path.segments.size() == 1 && order.path.segments[0] == "@iot.id";
        if (!byId || order.descending)
            throw QueryError("$orderby", 0, set + " are paged in @iot.id order, ascending, only (for now)");
    }
}

/// The decoded value of the option `name`; empty when the request has none.
std::string optionText(const std::vector<QueryParameter>& parameters, const std::string& name) {
    for (const QueryParameter& parameter : parameters) {
        if (parameter.name == name)
            return parameter.value;
    }
    return "";
}

std::string encoded(const std::string& value) {
    std::string result;
    Poco::URI::encode(value, "&=+#%?", result);
    return result;
}

/// The page a collection request asks for.
struct PageRequest {
    std::size_t top;
    std::optional<std::string> skipToken;  ///< where the page before ended (cursorToken(), or an @iot.id)
};

/// A page's JSON object: {"@iot.count":N,"@iot.nextLink":"...","value":[...]}.
std::string pageText(const CollectionPage& page) {
    JsonWriter out;
    out.reserve(page.values.size() + page.nextLink.size() + 128);
    out.beginObject();
    if (page.count) {
        out.key("@iot.count").integer(page.count->value);
        if (page.count->estimate)
            out.key("@citysense.countIsEstimate").boolean(true);
    }
    if (!page.nextLink.empty())
        out.key("@iot.nextLink").string(page.nextLink);
    out.key("value").raw(page.values);
    out.endObject();
    return out.take();
}

}  // namespace

JsonAnswer errorAnswer(int status, const std::string& message) {
    Poco::JSON::Object::Ptr object = orderedObject();
    object->set("code", status);
    object->set("type", "error");
    object->set("message", message);
    return {status, text(object)};
}

JsonAnswer optionErrorAnswer(const QueryError& error) {
    Poco::JSON::Object::Ptr object = orderedObject();
    object->set("code", 400);
    object->set("type", "error");
    object->set("option", error.option());
    object->set("position", static_cast<Poco::UInt64>(error.position()));
    object->set("message", std::string(error.what()));
    return {400, text(object)};
}

JsonAnswer SensingService::answer(const std::string& path, const std::string& query,
                                  const std::string& serviceRoot) {
    const EntityJson json(serviceRoot);
    try {
        const std::vector<QueryParameter> parameters = splitQueryString(query);
        const QueryOptions options = parseQueryOptions(parameters);
        refuseUnserved(options);
        const CollectionRequest request{options, options.resultFormat, options.skipToken, parameters,
                                        options.expand};
        if (path.empty())
            return {200, text(json.root())};
        const ResourcePath resource = parseResourcePath(path);
        if (!resource.id)
            return {200, pageText(collection(json, resource, resource.set, Selection::all(), request))};
        EntityType type = resource.set;
        EntityId id = *resource.id;
        std::optional<Entity> current;  // the entity at `id`, once looked up
        bool lookedUp = false;
        const auto found = [&] {
            if (!lookedUp)
                current = entity(json, type, id);
            lookedUp = true;
            return current.has_value();
        };
        for (const auto& name : resource.navigations) {
            const Navigation next = *navigation(type, name);
            if (!next.single) {
                // The page first: a row in it is related to the entity, which so exists (a round trip
                // less for every page of a Datastream's Observations). Only an empty page needs the
                // entity looked up: none is a 404, an entity without related rows an empty page.
                const CollectionPage page =
                    collection(json, resource, next.target, Selection::relatedTo(type, number(id)), request);
                if (page.size == 0 && !found())
                    break;
                return {200, pageText(page)};
            }
            if (!found())
                break;
            const auto target = follow(type, id, name);
            type = next.target;
            current = target ? entity(json, type, *target) : std::nullopt;
            if (target)
                id = *target;
        }
        if (!found())
            return errorAnswer(404, "nothing found at " + quoteText(pathText(resource)));
        if (options.filter)
            throw QueryError("$filter", 0, "filters a collection, not one entity");
        if (options.resultFormat == ResultFormat::DataArray)
            throw QueryError("$resultFormat", 0,
                             "dataArray is the format of a collection, not of one entity");
        JsonWriter out;
        write(out, json, type, id, *current,
              selectedKeys(type, options.select, optionText(parameters, "$select"), "$select"),
              options.expand, expandTargets(json, type, {id}, options.expand));
        return {200, out.take()};
    } catch (const MalformedPath& error) {
        return errorAnswer(400, error.what());
    } catch (const QueryError& error) {
        return optionErrorAnswer(error);
    } catch (const UnknownPath& error) {
        return errorAnswer(404, error.what());
    }
}

std::optional<Entity> SensingService::entity(const EntityJson& json, EntityType type, const EntityId& id) {
    if (type == EntityType::Observation) {
        const auto reading = _store.observation(std::get<ObservationKey>(id));
        return reading ? std::optional<Entity>(*reading) : std::nullopt;
    }
    const Selection selection = Selection::id(number(id));
    switch (type) {
        case EntityType::Thing: {
            const auto rows = _store.things(selection, std::nullopt, 1);
            return rows.empty() ? std::nullopt : std::optional<Entity>(json.thing(rows.front()));
        }
        case EntityType::Location: {
            const auto rows = _store.locations(selection, std::nullopt, 1);
            return rows.empty() ? std::nullopt : std::optional<Entity>(json.location(rows.front()));
        }
        case EntityType::Datastream: {
            const auto rows = _store.datastreams(selection, std::nullopt, 1);
            return rows.empty() ? std::nullopt : std::optional<Entity>(json.datastream(rows.front()));
        }
        case EntityType::Sensor: {
            const auto rows = _store.sensors(selection, std::nullopt, 1);
            return rows.empty() ? std::nullopt : std::optional<Entity>(json.sensor(rows.front()));
        }
        case EntityType::ObservedProperty: {
            const auto rows = _store.observedProperties(selection, std::nullopt, 1);
            return rows.empty() ? std::nullopt : std::optional<Entity>(json.observedProperty(rows.front()));
        }
        case EntityType::Observation:
            break;
    }
    return std::nullopt;
}

std::optional<EntityId> SensingService::follow(EntityType type, const EntityId& id, const std::string& name) {
    if (type == EntityType::Observation)  // its Datastream
        return std::get<ObservationKey>(id).sensor;
    const auto rows = _store.datastreams(Selection::id(number(id)), std::nullopt, 1);
    if (rows.empty())
        return std::nullopt;
    const DatastreamRow& datastream = rows.front();
    if (name == "Thing")
        return datastream.stationId;
    if (name == "Sensor")
        return datastream.sensorId;
    const auto quantity = quantityByName(datastream.quantity);  // ObservedProperty
    return quantity ? std::optional<EntityId>(static_cast<std::int64_t>(*quantity) + 1) : std::nullopt;
}

CollectionPage SensingService::collection(const EntityJson& json, const ResourcePath& path, EntityType type,
                                          const Selection& selection, const CollectionRequest& request) {
    const CollectionOptions& options = request.options;
    const std::vector<QueryParameter>& parameters = request.parameters;
    if (type != EntityType::Observation)
        refuseObservationsOnly(type, options, request.format);
    const auto keys = selectedKeys(type, options.select, optionText(parameters, "$select"), "$select");
    const auto area = type == EntityType::Location && options.filter
                          ? std::optional<GeoArea>(locationArea(*options.filter))
                          : std::nullopt;
    const PageRequest page{static_cast<std::size_t>(options.top), request.skipToken};
    // One row more than the page holds says whether another page follows.
    const std::size_t fetch = page.top + 1;
    CollectionPage result;
    std::string lastId;
    const auto after = [&] {
        return page.skipToken ? std::optional<std::int64_t>(idAfter(*page.skipToken)) : std::nullopt;
    };
    const auto noteLast = [&](const auto& rows, auto tokenOf) {
        if (rows.size() > page.top && page.top > 0)
            lastId = tokenOf(rows[page.top - 1]);
    };
    // `entityOf` and `idOf` a row: what write() takes.
    const auto writeRows = [&](const auto& rows, auto entityOf, auto idOf, auto tokenOf) {
        std::vector<EntityId> ids;
        for (std::size_t at = 0; at < rows.size() && at < page.top; ++at)
            ids.push_back(idOf(rows[at]));
        const ExpandTargets targets = expandTargets(json, type, ids, request.expand);
        JsonWriter out;
        out.reserve(rows.size() * kEntityBytes);
        out.beginArray();
        for (std::size_t at = 0; at < ids.size(); ++at)
            write(out, json, type, ids[at], entityOf(rows[at]), keys, request.expand, targets);
        out.endArray();
        result.values = out.take();
        result.size = ids.size();
        noteLast(rows, tokenOf);
    };
    const auto byId = [](const auto& row) { return std::to_string(row.id); };
    const auto idOf = [](const auto& row) { return EntityId(row.id); };
    switch (type) {
        case EntityType::Thing:
            writeRows(
                _store.things(selection, after(), fetch, options.filter.get()),
                [&](const StationRow& row) { return Entity(json.thing(row)); }, idOf, byId);
            break;
        case EntityType::Location:
            writeRows(
                _store.locations(selection, after(), fetch, area ? &*area : nullptr),
                [&](const StationRow& row) { return Entity(json.location(row)); }, idOf, byId);
            break;
        case EntityType::Datastream:
            writeRows(
                _store.datastreams(selection, after(), fetch, options.filter.get()),
                [&](const DatastreamRow& row) { return Entity(json.datastream(row)); }, idOf, byId);
            break;
        case EntityType::Sensor:
            writeRows(
                _store.sensors(selection, after(), fetch),
                [&](const SensorRow& row) { return Entity(json.sensor(row)); }, idOf, byId);
            break;
        case EntityType::ObservedProperty:
            writeRows(
                _store.observedProperties(selection, after(), fetch),
                [&](std::int64_t id) { return Entity(json.observedProperty(id)); },
                [](std::int64_t id) { return EntityId(id); },
                [](std::int64_t id) { return std::to_string(id); });
            break;
        case EntityType::Observation: {
            ObservationPage wanted;
            wanted.filter = options.filter.get();
            wanted.order = observationOrder(options.orderBy);
            if (page.skipToken)
                wanted.after = parseCursorToken(wanted.order, *page.skipToken);
            else
                wanted.skip = options.skip;  // the pages after the first continue from a key
            wanted.limit = fetch;
            const auto tokenOf = [&](const ReadingRow& row) {
                return cursorToken(wanted.order, {row.key, row.value});
            };
            if (request.format == ResultFormat::DataArray) {
                const auto rows = _store.observations(selection, wanted);
                JsonWriter out;
                out.poco(dataArrayValue(json, rows, page.top, dataArrayComponents(keys)));
                result.values = out.take();
                result.size = std::min(rows.size(), page.top);
                noteLast(rows, tokenOf);
            } else if (request.expand.empty()) {
                // Each Observation written as its row arrives, while the store sends the next ones (an
                // $expand needs the whole page's ids first).
                JsonWriter out;
                out.reserve(fetch * kEntityBytes);
                out.beginArray();
                std::size_t written = 0;
                const auto rows = _store.observations(selection, wanted, [&](const ReadingRow& row) {
                    if (written < page.top)
                        write(out, json, type, row.key, row, keys, request.expand, {});
                    ++written;
                });
                out.endArray();
                result.values = out.take();
                result.size = std::min(rows.size(), page.top);
                noteLast(rows, tokenOf);
            } else {
                writeRows(
                    _store.observations(selection, wanted), [](const ReadingRow& row) { return Entity(row); },
                    [](const ReadingRow& row) { return EntityId(row.key); }, tokenOf);
            }
            break;
        }
    }
    if (options.count)
        result.count = count(type, selection, options.filter.get());
    if (!lastId.empty()) {
        // The same options (validated above, so their names are plain), then where the next page begins.
        std::string link = json.serviceRoot() + "/" + pathText(path) + "?$top=" + std::to_string(page.top);
        for (const QueryParameter& parameter : parameters) {
            if (parameter.name != "$top" && parameter.name != "$skiptoken" && parameter.name != "$skip")
                link += "&" + parameter.name + "=" + encoded(parameter.value);
        }
        result.nextLink = link + "&$skiptoken=" + encoded(lastId);
    }
    return result;
}

ObservationCount SensingService::count(EntityType type, const Selection& selection,
                                       const Expression* filter) {
    // The other sets are small (a row per station or sensor): their rows are counted as read.
    constexpr std::size_t all = std::numeric_limits<std::int64_t>::max();
    const auto area =
        type == EntityType::Location && filter ? std::optional<GeoArea>(locationArea(*filter)) : std::nullopt;
    ObservationCount count;
    switch (type) {
        case EntityType::Thing:
            count.value =
                static_cast<std::int64_t>(_store.things(selection, std::nullopt, all, filter).size());
            break;
        case EntityType::Location:
            count.value = static_cast<std::int64_t>(
                _store.locations(selection, std::nullopt, all, area ? &*area : nullptr).size());
            break;
        case EntityType::Datastream:
            count.value =
                static_cast<std::int64_t>(_store.datastreams(selection, std::nullopt, all, filter).size());
            break;
        case EntityType::Sensor:
            count.value = static_cast<std::int64_t>(_store.sensors(selection, std::nullopt, all).size());
            break;
        case EntityType::ObservedProperty:
            count.value =
                static_cast<std::int64_t>(_store.observedProperties(selection, std::nullopt, all).size());
            break;
        case EntityType::Observation:
            count = _store.countObservations(selection, filter);
            break;
    }
    return count;
}

ExpandTargets SensingService::expandTargets(const EntityJson& json, EntityType type,
                                            const std::vector<EntityId>& ids,
                                            const std::vector<Expand>& expand) {
    ExpandTargets targets(expand.size());
    std::optional<std::vector<DatastreamRow>> datastreams;  // of `ids`, read once for every item
    const auto entitiesById = [](const auto& rows, auto entityOf) {
        std::map<std::int64_t, Entity> found;
        for (const auto& row : rows)
            found.emplace(row.id, entityOf(row));
        return found;
    };
    const auto distinct = [](std::vector<std::int64_t> keys) {
        std::sort(keys.begin(), keys.end());
        keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
        return keys;
    };
    for (std::size_t item = 0; item < expand.size(); ++item) {
        const auto next = navigation(type, expand[item].property);
        if (!next || !next->single || ids.empty())
            continue;  // expandInto() refuses what has no navigation, and pages what is a collection
        auto& embedded = targets[item];
        if (type == EntityType::Observation) {  // its Datastream: the sensor of its key
            std::vector<std::int64_t> sensors;
            for (const EntityId& id : ids)
                sensors.push_back(std::get<ObservationKey>(id).sensor);
            sensors = distinct(std::move(sensors));
            const auto found =
                entitiesById(_store.datastreams(Selection::ids(sensors), std::nullopt, sensors.size()),
                             [&](const DatastreamRow& row) { return Entity(json.datastream(row)); });
            for (const EntityId& id : ids) {
                const std::int64_t sensor = std::get<ObservationKey>(id).sensor;
                if (const auto at = found.find(sensor); at != found.end())
                    embedded.emplace(idLiteral(id), std::make_pair(EntityId(sensor), at->second));
            }
            continue;
        }
        // A Datastream's Thing, Sensor or ObservedProperty: from its row.
        if (!datastreams) {
            std::vector<std::int64_t> numbers;
            for (const EntityId& id : ids)
                numbers.push_back(std::get<std::int64_t>(id));
            datastreams = _store.datastreams(Selection::ids(numbers), std::nullopt, numbers.size());
        }
        const std::string& name = expand[item].property;
        std::vector<std::int64_t> wanted;
        for (const DatastreamRow& row : *datastreams)
            wanted.push_back(name == "Thing" ? row.stationId : row.sensorId);
        wanted = distinct(std::move(wanted));
        std::map<std::int64_t, Entity> found;
        if (name == "Thing")
            found = entitiesById(_store.things(Selection::ids(wanted), std::nullopt, wanted.size()),
                                 [&](const StationRow& row) { return Entity(json.thing(row)); });
        else if (name == "Sensor")
            found = entitiesById(_store.sensors(Selection::ids(wanted), std::nullopt, wanted.size()),
                                 [&](const SensorRow& row) { return Entity(json.sensor(row)); });
        for (const DatastreamRow& row : *datastreams) {
            std::optional<std::int64_t> target;
            if (name == "ObservedProperty") {
                // Of the quantity table (SensingModel.h): no query.
                if (const auto quantity = quantityByName(row.quantity)) {
                    target = static_cast<std::int64_t>(*quantity) + 1;
                    if (!found.count(*target))
                        found.emplace(*target, Entity(json.observedProperty(*target)));
                }
            } else {
                target = name == "Thing" ? row.stationId : row.sensorId;
            }
            if (const auto at = target ? found.find(*target) : found.end(); at != found.end())
                embedded.emplace(idLiteral(EntityId(row.id)), std::make_pair(EntityId(*target), at->second));
        }
    }
    return targets;
}

void SensingService::write(JsonWriter& out, const EntityJson& json, EntityType type, const EntityId& id,
                           const Entity& entity, const std::vector<std::string>& keys,
                           const std::vector<Expand>& expand, const ExpandTargets& targets) {
    out.beginObject();
    if (const auto* reading = std::get_if<ReadingRow>(&entity)) {
        json.observation(out, *reading, keys);
    } else {
        Poco::JSON::Object::Ptr object = std::get<Poco::JSON::Object::Ptr>(entity);
        keepOnly(*object, keys);
        out.members(object);
    }
    expandInto(out, json, type, id, expand, targets);
    out.endObject();
}

void SensingService::expandInto(JsonWriter& out, const EntityJson& json, EntityType type, const EntityId& id,
                                const std::vector<Expand>& expand, const ExpandTargets& targets) {
    const std::optional<std::string> fromTheFirst;
    const std::vector<Expand> oneLevel;
    for (std::size_t at = 0; at < expand.size(); ++at) {
        const Expand& item = expand[at];
        const auto next = navigation(type, item.property);
        if (!next)
            throw QueryError(
                "$expand", 0,
                std::string(entitySetName(type)) + " have no navigation property " + item.property);
        const auto keys = selectedKeys(next->target, item.options.select,
                                       optionText(item.parameters, "$select"), "$expand");
        if (next->single) {
            const CollectionOptions& options = item.options;
            if (options.filter || !options.orderBy.empty() || options.skip != 0 || options.count)
                throw QueryError("$expand", 0, item.property + " is one entity: only $select applies to it");
            const auto target = targets.at(at).find(idLiteral(id));
            if (target != targets.at(at).end()) {
                out.key(item.property);
                write(out, json, next->target, target->second.first, target->second.second, keys, oneLevel,
                      {});
            }
            continue;
        }
        // A collection: its first page, a query for each entity of the page.
        const ResourcePath path{type, id, {item.property}};
        const CollectionPage page =
            collection(json, path, next->target, Selection::relatedTo(type, number(id)),
                       {item.options, ResultFormat::Default, fromTheFirst, item.parameters, oneLevel});
        if (page.count)
            out.key(item.property + "@iot.count").integer(page.count->value);
        out.key(item.property).raw(page.values);
        if (!page.nextLink.empty())
            out.key(item.property + "@iot.nextLink").string(page.nextLink);
    }
}

}  // namespace citysense::api
