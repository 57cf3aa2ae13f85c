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

/// Binds a time the way the store's dialect compares it with readings.time.
using TimeBinder = std::function<void(BoundQuery&, Micros)>;

/// Appends the condition of `filter` on the entities of `type`, in parentheses. The properties:
///   Observations  phenomenonTime and resultTime (a reading has one time; date-time literals), result
///                 (numbers), @iot.id (eq and ne), Datastream/@iot.id, Datastream/ObservedProperty/name,
///                 Datastream/Thing/@iot.id and Datastream/Thing/name (eq and ne)
///   Things        @iot.id, name (eq and ne), properties/system, properties/city, properties/street
///   Datastreams   @iot.id, ObservedProperty/name, unitOfMeasurement/symbol, Thing/@iot.id, Thing/name
///                 (eq and ne)
/// Throws QueryError("$filter", position, message) for anything else: another property or entity set,
/// a literal of another type, arithmetic, a function.
void appendFilter(BoundQuery& query, EntityType type, const Expression& filter, const TimeBinder& bindTime);

}  // namespace citysense::api
