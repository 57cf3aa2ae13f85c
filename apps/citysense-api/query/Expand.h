// $expand: navigation properties, each with its own options in parentheses separated by ';', e.g.
// "Datastreams($select=name;$top=5;$filter=name eq 'a;b'),Locations". One level only.
#pragma once

#include "QueryOptions.h"

#include <string>
#include <string_view>
#include <vector>

namespace citysense::api {

/// Throws QueryError(option, position in `text`): an error inside a nested option says which one and
/// for which property ("in $top of Datastreams: expected a whole number"); a path or a nested $expand says
/// "only one level of $expand".
std::vector<Expand> parseExpand(std::string_view text, const std::string& option);

}  // namespace citysense::api
