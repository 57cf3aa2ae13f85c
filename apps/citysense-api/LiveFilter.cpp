#include "LiveFilter.h"

#include "ApiKeys.h"

#include <Poco/NumberParser.h>
#include <Poco/StringTokenizer.h>

#include <optional>
#include <stdexcept>

namespace citysense::api {

namespace {

/// "1,2,3" → {1, 2, 3}; throws std::invalid_argument naming the parameter.
std::set<std::int64_t> ids(const std::string& name, const std::string& text) {
    std::set<std::int64_t> result;
    for (const std::string& item : Poco::StringTokenizer(text, ",", Poco::StringTokenizer::TOK_TRIM)) {
        Poco::Int64 id = 0;
        if (!Poco::NumberParser::tryParse64(item, id) || id < 1)
            throw std::invalid_argument(name + ": '" + item + "' is not an id (a positive integer)");
        result.insert(id);
    }
    return result;
}

}  // namespace

LiveFilter readLiveFilter(const Poco::URI::QueryParameters& parameters) {
    LiveFilter filter;
    std::set<std::string> seen;
    for (const auto& [name, value] : parameters) {
        if (!seen.insert(name).second)
            throw std::invalid_argument(name + ": given twice");
        if (name == "things") {
            filter.things = ids(name, value);
        } else if (name == "datastreams") {
            filter.datastreams = ids(name, value);
        } else if (name == "quantities") {
            for (const std::string& item : Poco::StringTokenizer(
                     value, ",", Poco::StringTokenizer::TOK_TRIM | Poco::StringTokenizer::TOK_IGNORE_EMPTY)) {
                const std::optional<Quantity> quantity = quantityByName(item);
                if (!quantity)
                    throw std::invalid_argument("quantities: '" + item + "' is not a quantity");
                filter.quantities.insert(*quantity);
            }
        } else {
            throw std::invalid_argument(name +
                                        ": unknown parameter (known: things, datastreams, quantities)");
        }
    }
    return filter;
}

bool LiveFilter::accepts(const LiveObservation& observation) const {
    if (!things.empty() && !things.count(observation.thing))
        return false;
    if (!datastreams.empty() && !datastreams.count(observation.datastream))
        return false;
    if (!quantities.empty() && !quantities.count(observation.quantity))
        return false;
    if (stations.empty())
        return true;
    for (const std::string& pattern : stations) {
        if (matchesStation(pattern, observation.system, observation.city, observation.street))
            return true;
    }
    return false;
}

}  // namespace citysense::api
