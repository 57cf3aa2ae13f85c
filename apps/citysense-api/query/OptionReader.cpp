#include "OptionReader.h"

#include "Expand.h"
#include "FilterParser.h"
#include "OptionValues.h"
#include "QueryError.h"

#include <array>

namespace citysense::api {

struct OptionEntry {
    std::string_view name;
    bool inExpand;
    void (*read)(QueryOptions& options, const QueryParameter& parameter);
};

namespace {

constexpr std::array<OptionEntry, 9> kOptions{{
    {"$filter", true,
     [](QueryOptions& o, const QueryParameter& p) { o.filter = parseFilter(p.value, p.name); }},
    {"$select", true,
     [](QueryOptions& o, const QueryParameter& p) { o.select = parseSelect(p.value, p.name); }},
    {"$orderby", true,
     [](QueryOptions& o, const QueryParameter& p) { o.orderBy = parseOrderBy(p.value, p.name); }},
    {"$top", true, [](QueryOptions& o, const QueryParameter& p) { o.top = parseTop(p.value, p.name); }},
    {"$skip", true, [](QueryOptions& o, const QueryParameter& p) { o.skip = parseSkip(p.value, p.name); }},
    {"$count", true, [](QueryOptions& o, const QueryParameter& p) { o.count = parseCount(p.value, p.name); }},
    {"$resultFormat", false,
     [](QueryOptions& o, const QueryParameter& p) { o.resultFormat = parseResultFormat(p.value, p.name); }},
    {"$skiptoken", false,
     [](QueryOptions& o, const QueryParameter& p) { o.skipToken = parseSkipToken(p.value, p.name); }},
    {"$expand", false,
     [](QueryOptions& o, const QueryParameter& p) { o.expand = parseExpand(p.value, p.name); }},
}};

std::string optionList() {
    std::string list;
    for (const OptionEntry& entry : kOptions)
        list += (list.empty() ? "" : ", ") + std::string(entry.name);
    return list;
}

}  // namespace

const OptionEntry* OptionReader::entry(const std::string& name) {
    if (name.empty())
        throw QueryError(name, 0, "an option without a name");
    const bool isOption = name.front() == '$';
    if (!isOption && scope_ == OptionScope::Expand)
        throw QueryError(name, 0, "not an option; inside $expand the options begin with '$'");
    if (!seen_.insert(name).second)
        throw QueryError(name, 0,
                         isOption ? "option given more than once" : "parameter given more than once");
    if (!isOption)
        return nullptr;
    for (const OptionEntry& entry : kOptions) {
        if (entry.name != name)
            continue;
        if (scope_ == OptionScope::Expand && !entry.inExpand)
            throw QueryError(name, 0,
                             name == "$expand" ? "only one level of $expand" : "not allowed inside $expand");
        return &entry;
    }
    throw QueryError(name, 0, "unsupported option; the options are " + optionList());
}

void OptionReader::apply(const OptionEntry* entry, const QueryParameter& parameter) {
    if (entry == nullptr)
        options_.parameters.push_back(parameter);
    else
        entry->read(options_, parameter);
}

}  // namespace citysense::api
