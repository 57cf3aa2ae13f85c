#include "SensingService.h"

#include "DataArray.h"
#include "GeoFilter.h"
#include "ObservationOrder.h"
#include "PropertySelect.h"

#include <citysense/Format.h>
#include <citysense/Quantity.h>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Stringifier.h>

#include <limits>
#include <sstream>

namespace citysense::api {

namespace {

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

/// The id of an entity's JSON (read before $select may drop it).
EntityId idOf(EntityType type, const Poco::JSON::Object& entity) {
    if (type == EntityType::Observation)
        return *parseObservationId(entity.getValue<std::string>("@iot.id"));
    return entity.getValue<Poco::Int64>("@iot.id");
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

template <typename Row, typename Render>
void addAll(Poco::JSON::Array& values, const std::vector<Row>& rows, std::size_t most, Render render) {
    for (std::size_t at = 0; at < rows.size() && at < most; ++at)
        values.add(render(rows[at]));
}

}  // namespace

JsonAnswer errorAnswer(int status, const std::string& message) {
    Poco::JSON::Object::Ptr object = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    object->set("code", status);
    object->set("type", "error");
    object->set("message", message);
    return {status, text(object)};
}

JsonAnswer optionErrorAnswer(const QueryError& error) {
    Poco::JSON::Object::Ptr object = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
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
            return {200, text(collection(json, resource, resource.set, Selection::all(), request))};
        EntityType type = resource.set;
        EntityId id = *resource.id;
        auto current = entity(json, type, id);
        for (const auto& name : resource.navigations) {
            if (!current)
                break;
            const Navigation next = *navigation(type, name);
            if (!next.single)
                return {200, text(collection(json, resource, next.target,
                                             Selection::relatedTo(type, number(id)), request))};
            const auto target = follow(type, id, name);
            type = next.target;
            current = target ? entity(json, type, *target) : nullptr;
            if (target)
                id = *target;
        }
        if (!current)
            return errorAnswer(404, "nothing found at " + quoteText(pathText(resource)));
        if (options.filter)
            throw QueryError("$filter", 0, "filters a collection, not one entity");
        if (options.resultFormat == ResultFormat::DataArray)
            throw QueryError("$resultFormat", 0,
                             "dataArray is the format of a collection, not of one entity");
        keepOnly(*current, selectedKeys(type, options.select, optionText(parameters, "$select"), "$select"));
        expandInto(*current, json, type, id, options.expand);
        return {200, text(current)};
    } catch (const MalformedPath& error) {
        return errorAnswer(400, error.what());
    } catch (const QueryError& error) {
        return optionErrorAnswer(error);
    } catch (const UnknownPath& error) {
        return errorAnswer(404, error.what());
    }
}

Poco::JSON::Object::Ptr SensingService::entity(const EntityJson& json, EntityType type, const EntityId& id) {
    if (type == EntityType::Observation) {
        const auto reading = _store.observation(std::get<ObservationKey>(id));
        return reading ? json.observation(*reading) : nullptr;
    }
    const Selection selection = Selection::id(number(id));
    switch (type) {
        case EntityType::Thing: {
            const auto rows = _store.things(selection, std::nullopt, 1);
            return rows.empty() ? nullptr : json.thing(rows.front());
        }
        case EntityType::Location: {
            const auto rows = _store.locations(selection, std::nullopt, 1);
            return rows.empty() ? nullptr : json.location(rows.front());
        }
        case EntityType::Datastream: {
            const auto rows = _store.datastreams(selection, std::nullopt, 1);
            return rows.empty() ? nullptr : json.datastream(rows.front());
        }
        case EntityType::Sensor: {
            const auto rows = _store.sensors(selection, std::nullopt, 1);
            return rows.empty() ? nullptr : json.sensor(rows.front());
        }
        case EntityType::ObservedProperty: {
            const auto rows = _store.observedProperties(selection, std::nullopt, 1);
            return rows.empty() ? nullptr : json.observedProperty(rows.front());
        }
        case EntityType::Observation:
            break;
    }
    return nullptr;
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

Poco::JSON::Object::Ptr SensingService::collection(const EntityJson& json, const ResourcePath& path,
                                                   EntityType type, const Selection& selection,
                                                   const CollectionRequest& request) {
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
    Poco::JSON::Array::Ptr values = new Poco::JSON::Array;
    std::size_t found = 0;
    std::string lastId;
    const auto after = [&] {
        return page.skipToken ? std::optional<std::int64_t>(idAfter(*page.skipToken)) : std::nullopt;
    };
    const auto collect = [&](const auto& rows, auto render, auto idOf) {
        found = rows.size();
        addAll(*values, rows, page.top, render);
        if (found > page.top && page.top > 0)
            lastId = idOf(rows[page.top - 1]);
    };
    const auto byId = [](const auto& row) { return std::to_string(row.id); };
    switch (type) {
        case EntityType::Thing:
            collect(
                _store.things(selection, after(), fetch, options.filter.get()),
                [&](const StationRow& row) { return json.thing(row); }, byId);
            break;
        case EntityType::Location:
            collect(
                _store.locations(selection, after(), fetch, area ? &*area : nullptr),
                [&](const StationRow& row) { return json.location(row); }, byId);
            break;
        case EntityType::Datastream:
            collect(
                _store.datastreams(selection, after(), fetch, options.filter.get()),
                [&](const DatastreamRow& row) { return json.datastream(row); }, byId);
            break;
        case EntityType::Sensor:
            collect(
                _store.sensors(selection, after(), fetch),
                [&](const SensorRow& row) { return json.sensor(row); }, byId);
            break;
        case EntityType::ObservedProperty:
            collect(
                _store.observedProperties(selection, after(), fetch),
                [&](std::int64_t id) { return json.observedProperty(id); },
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
            const auto rows = _store.observations(selection, wanted);
            collect(
                rows, [&](const ReadingRow& row) { return json.observation(row); },
                [&](const ReadingRow& row) {
                    return cursorToken(wanted.order, {row.key, row.value});
                });
            if (request.format == ResultFormat::DataArray)
                values = dataArrayValue(json, rows, page.top, dataArrayComponents(keys));
            break;
        }
    }
    Poco::JSON::Object::Ptr object = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    if (options.count)
        setCount(*object, type, selection, options.filter.get());
    if (!lastId.empty()) {
        // The same options (validated above, so their names are plain), then where the next page begins.
        std::string link = json.serviceRoot() + "/" + pathText(path) + "?$top=" + std::to_string(page.top);
        for (const QueryParameter& parameter : parameters) {
            if (parameter.name != "$top" && parameter.name != "$skiptoken" && parameter.name != "$skip")
                link += "&" + parameter.name + "=" + encoded(parameter.value);
        }
        object->set("@iot.nextLink", link + "&$skiptoken=" + encoded(lastId));
    }
    if (request.format != ResultFormat::DataArray) {
        for (std::size_t at = 0; at < values->size(); ++at) {
            Poco::JSON::Object& entity = *values->getObject(static_cast<unsigned>(at));
            const EntityId id = idOf(type, entity);
            keepOnly(entity, keys);
            expandInto(entity, json, type, id, request.expand);
        }
    }
    object->set("value", values);
    return object;
}

void SensingService::setCount(Poco::JSON::Object& object, EntityType type, const Selection& selection,
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
    object.set("@iot.count", count.value);
    if (count.estimate)
        object.set("@citysense.countIsEstimate", true);
}

void SensingService::expandInto(Poco::JSON::Object& object, const EntityJson& json, EntityType type,
                                const EntityId& id, const std::vector<Expand>& expand) {
    const std::optional<std::string> fromTheFirst;
    const std::vector<Expand> oneLevel;
    for (const Expand& item : expand) {
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
            const auto target = follow(type, id, item.property);
            if (Poco::JSON::Object::Ptr embedded = target ? entity(json, next->target, *target) : nullptr) {
                keepOnly(*embedded, keys);
                object.set(item.property, embedded);
            }
            continue;
        }
        const ResourcePath path{type, id, {item.property}};
        const auto page =
            collection(json, path, next->target, Selection::relatedTo(type, number(id)),
                       {item.options, ResultFormat::Default, fromTheFirst, item.parameters, oneLevel});
        if (page->has("@iot.count"))
            object.set(item.property + "@iot.count", page->get("@iot.count"));
        object.set(item.property, page->getArray("value"));
        if (page->has("@iot.nextLink"))
            object.set(item.property + "@iot.nextLink", page->get("@iot.nextLink"));
    }
}

}  // namespace citysense::api
