// $filter text → Expression tree, after SensorThings API 1.1, 9.3.3.5: precedence from loosest to
// tightest or, and, eq ne, gt ge lt le, add sub, mul div mod, then the unary not and '-', all binary
// operators left-associative. The grammar is in README.md.
#pragma once

#include "Expression.h"

#include <cstddef>
#include <string>
#include <string_view>

namespace citysense::api {

/// Parentheses, unary operators and calls nest at most this deep, and so does the tree.
inline constexpr std::size_t kMaxFilterDepth = 64;

/// Parses a whole filter of at most kMaxValueBytes (QueryString.h). Throws QueryError(option,
/// position, message) for the first thing that is wrong, an unknown function included.
ExpressionPtr parseFilter(std::string_view text, const std::string& option = "$filter");

}  // namespace citysense::api
