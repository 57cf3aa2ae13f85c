// A $filter on Observations as an SQL condition over the readings table (alias r): each comparison of
// a property with a literal becomes a comparison of a column with a bound value, so the filter's text
// never reaches SQL. What Observations do not have, or cannot compare that way, is a QueryError at its
// position in the filter.
#pragma once

#include "BoundQuery.h"
#include "query/Expression.h"

#include <citysense/Time.h>

#include <functional>

namespace citysense::api {

/// Binds a time the way the store's dialect compares it with readings.time.
using TimeBinder = std::function<void(BoundQuery&, Micros)>;

/// Appends the condition of `filter`, in parentheses. The properties: phenomenonTime and resultTime (a
/// reading has one time; date-time literals), result (numbers), @iot.id (eq and ne), Datastream/@iot.id,
/// Datastream/ObservedProperty/name, Datastream/Thing/@iot.id and Datastream/Thing/name (eq and ne).
/// Throws QueryError("$filter", position, message) for anything else: another property, a literal of
/// another type, arithmetic, a function.
void appendObservationFilter(BoundQuery& query, const Expression& filter, const TimeBinder& bindTime);

}  // namespace citysense::api
