// The binary operators of a $filter by name, with their precedence: one table for the parser and for
// writing a tree back as text. and/or are Logical nodes, one level each below these.
#pragma once

#include "Expression.h"

#include <string_view>

namespace citysense::api {

/// Precedence levels, loosest first.
enum class Precedence { Or, And, Equality, Relational, Additive, Multiplicative, Unary };

struct OperatorInfo {
    std::string_view name;
    BinaryOperator op;
    Precedence precedence;
};

/// The operator named `name` at `precedence`, or nullptr.
const OperatorInfo* findOperator(std::string_view name, Precedence precedence);

std::string_view operatorName(BinaryOperator op);

}  // namespace citysense::api
