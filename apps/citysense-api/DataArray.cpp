#include "DataArray.h"

#include "JsonObjects.h"

#include "query/QueryError.h"

#include <citysense/Sample.h>

#include <algorithm>
#include <map>

namespace citysense::api {
namespace {

constexpr const char* kColumns[] = {"id", "phenomenonTime", "resultTime", "result", "resultQuality"};

Poco::Dynamic::Var cell(const ReadingRow& row, const std::string& component) {
    if (component == "id")
        return observationId(row.key);
    if (component == "phenomenonTime" || component == "resultTime")
        return formatIsoTime(row.key.time);
    if (component == "result")
        return row.value;
    Poco::JSON::Array::Ptr quality = new Poco::JSON::Array;
    for (const auto& name : qualityNames(row.quality))
        quality->add(name);
    return quality;
}

}  // namespace

std::vector<std::string> dataArrayComponents(const std::vector<std::string>& selected) {
    if (selected.empty())
        return {"id", "phenomenonTime", "resultTime", "result"};
    std::vector<std::string> components;
    for (const std::string& key : selected) {
        const std::string name = key == "@iot.id" ? "id" : key;
        if (std::find(std::begin(kColumns), std::end(kColumns), name) == std::end(kColumns))
            throw QueryError(
                "$select", 0,
                "with $resultFormat=dataArray, select among id, phenomenonTime, resultTime, result "
                "and resultQuality, not " +
                    key);
        components.push_back(name);
    }
    return components;
}

Poco::JSON::Array::Ptr dataArrayValue(const EntityJson& json, const std::vector<ReadingRow>& rows,
                                      std::size_t most, const std::vector<std::string>& components) {
    Poco::JSON::Array::Ptr value = new Poco::JSON::Array;
    std::map<std::int64_t, Poco::JSON::Array::Ptr> arrays;  // by sensor
    std::vector<std::int64_t> order;
    for (std::size_t at = 0; at < rows.size() && at < most; ++at) {
        const ReadingRow& row = rows[at];
        auto& array = arrays[row.key.sensor];
        if (!array) {
            array = new Poco::JSON::Array;
            order.push_back(row.key.sensor);
        }
        Poco::JSON::Array::Ptr cells = new Poco::JSON::Array;
        for (const std::string& component : components)
            cells->add(cell(row, component));
        array->add(cells);
    }
    Poco::JSON::Array::Ptr names = new Poco::JSON::Array;
    for (const std::string& component : components)
        names->add(component);
    for (const std::int64_t sensor : order) {
        Poco::JSON::Object::Ptr group = orderedObject();
        group->set("Datastream@iot.navigationLink", json.serviceRoot() + "/" +
                                                        entitySetName(EntityType::Datastream) + "(" +
                                                        std::to_string(sensor) + ")");
        group->set("components", names);
        group->set("dataArray@iot.count", static_cast<Poco::Int64>(arrays[sensor]->size()));
        group->set("dataArray", arrays[sensor]);
        value->add(group);
    }
    return value;
}

}  // namespace citysense::api
