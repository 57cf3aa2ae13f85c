// The SensorThings API 1.1 query options of one request (9.3.2-9.3.4), parsed and checked for form:
// a filter tree, property paths, numbers in their limits, one level of $expand. Whether a property
// exists on the entity asked for is the validator's question, not the parser's.
#pragma once

#include "Expression.h"
#include "QueryString.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace citysense::api {

inline constexpr std::int64_t kDefaultTop = 100;
inline constexpr std::int64_t kMaxTop = 10000;

enum class ResultFormat { Default, DataArray, Csv };

struct OrderBy {
    PropertyPath path;
    bool descending = false;
};

/// What applies to one collection: the one requested, or one expanded from each of its entities.
struct CollectionOptions {
    /// nullptr without $filter.
    ExpressionPtr filter;
    /// Empty without $select: every property.
    std::vector<PropertyPath> select;
    std::vector<OrderBy> orderBy;
    std::int64_t top = kDefaultTop;
    std::int64_t skip = 0;
    bool count = false;
};

/// $expand=Datastreams($select=name;$top=5): a navigation property of the entities returned, with its
/// own options ($filter, $select, $orderby, $top, $skip, $count).
struct Expand {
    std::string property;
    CollectionOptions options;
    /// The options as written inside the parentheses, in order: for a link that repeats them.
    std::vector<QueryParameter> parameters;
};

struct QueryOptions : CollectionOptions {
    ResultFormat resultFormat = ResultFormat::Default;
    /// $skiptoken: where the page an @iot.nextLink asks for begins, as the service wrote it there
    /// (opaque here, never empty).
    std::optional<std::string> skipToken;
    std::vector<Expand> expand;
    /// The parameters whose names do not begin with '$' (interval=, from=, …), in order, each at most
    /// once: the resource they are sent to accepts them or refuses them.
    std::vector<QueryParameter> parameters;
};

/// Parses a raw query string (without the '?'). Throws QueryError for the first thing that is wrong:
/// a bad escape, an unknown or repeated $option, or a value an option does not accept.
QueryOptions parseQueryOptions(std::string_view query);

/// The same over parameters already split and decoded.
QueryOptions parseQueryOptions(const std::vector<QueryParameter>& parameters);

}  // namespace citysense::api
