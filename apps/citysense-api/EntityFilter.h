// A $filter as an SQL condition over the table of its entity set (readings r; stations st; sensors s
// joined with their stations st): each comparison of a property with a literal becomes a comparison
// of a column with a bound value, so the filter's text never reaches SQL. What the entity does not
// have, or cannot compare that way, is a QueryError at its position in the filter.
#pragma once

#include "BoundQuery.h"
#include "SensingModel.h"
#include "query/Expression.h"

#include <citysense/Time.h>

#include <functional>

namespace citysense::api {

/// What differs between the store's SQL dialects.
struct FilterDialect {
    /// Binds a time the way the store compares it with readings.time.
    std::function<void(BoundQuery&, Micros)> bindTime;
    bool sqlite = false;  ///< SQLite; otherwise MariaDB
};

/// Appends the condition of `filter` on the entities of `type`, in parentheses. The properties:
///   Observations  phenomenonTime and resultTime (a reading has one time; date-time literals), result
///                 (numbers), @iot.id (eq and ne), Datastream/@iot.id, Datastream/ObservedProperty/name,
///                 Datastream/Thing/@iot.id and Datastream/Thing/name (eq and ne)
///   Things        @iot.id, name (eq and ne), properties/system, properties/city, properties/street
///   Datastreams   @iot.id, ObservedProperty/name, unitOfMeasurement/symbol, Thing/@iot.id, Thing/name
///                 (eq and ne)
/// On the text properties that are a column (ObservedProperty/name, unitOfMeasurement/symbol,
/// properties/...), also startswith, endswith, contains and substringof, and comparisons of tolower,
/// toupper and length; all case-sensitive, as both stores compare names byte for byte.
/// Throws QueryError("$filter", position, message) for anything else: another property or entity set,
/// a literal of another type, arithmetic, another function.
void appendFilter(BoundQuery& query, EntityType type, const Expression& filter, const FilterDialect& dialect);

}  // namespace citysense::api
