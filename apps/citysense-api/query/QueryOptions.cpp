#include "QueryOptions.h"

#include "OptionReader.h"

namespace citysense::api {

QueryOptions parseQueryOptions(std::string_view query) {
    return parseQueryOptions(splitQueryString(query));
}

QueryOptions parseQueryOptions(const std::vector<QueryParameter>& parameters) {
    OptionReader reader(OptionScope::Request);
    for (const QueryParameter& parameter : parameters)
        reader.apply(reader.entry(parameter.name), parameter);
    return std::move(reader.options());
}

}  // namespace citysense::api
