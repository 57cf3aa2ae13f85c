// An Expression written back as text with every operation in parentheses, e.g.
// "((result gt 5) and (Datastream/name eq 'no2'))": for log lines and for tests that state a tree.
#pragma once

#include "Expression.h"

#include <string>

namespace citysense::api {

/// Literals as a filter writes them, except date-times (as "datetime(µs since the epoch)") and areas
/// ("polygon(lon lat, …)", "bbox(west,south,east,north)"); decimals in their shortest exact form.
std::string expressionText(const Expression& expression);

}  // namespace citysense::api
