// The values of the options other than $filter and $expand: each read from the option's decoded
// value, or refused with a QueryError naming `option` and the position.
#pragma once

#include "QueryOptions.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace citysense::api {

/// $select=name,description,properties/street
std::vector<PropertyPath> parseSelect(std::string_view text, const std::string& option);
/// $orderby=phenomenonTime desc,@iot.id (asc when neither is written)
std::vector<OrderBy> parseOrderBy(std::string_view text, const std::string& option);
/// $top: a whole number from 0; above kMaxTop, kMaxTop (the rest follows through @iot.nextLink).
std::int64_t parseTop(std::string_view text, const std::string& option);
/// $skip: a whole number from 0.
std::int64_t parseSkip(std::string_view text, const std::string& option);
/// $count: true or false.
bool parseCount(std::string_view text, const std::string& option);
/// $resultFormat: dataArray or csv.
ResultFormat parseResultFormat(std::string_view text, const std::string& option);
/// $skiptoken: any text but none.
std::string parseSkipToken(std::string_view text, const std::string& option);

}  // namespace citysense::api
