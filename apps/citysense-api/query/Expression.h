// What a $filter is parsed into: a small tree of literals, property paths, operators and function
// calls, each node with its position in the filter text. The tree carries no SQL; a translator turns
// it into a statement with bound values.
#pragma once

#include "Geography.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <variant>
#include <vector>

namespace citysense::api {

struct Expression;
using ExpressionPtr = std::unique_ptr<Expression>;

struct NullValue {
    bool operator==(const NullValue&) const { return true; }
};

/// A date-time literal, in UTC microseconds since the epoch.
struct DateTimeValue {
    std::int64_t microseconds;
    bool operator==(const DateTimeValue& other) const { return microseconds == other.microseconds; }
};

/// A literal: null, true/false, an integer, a decimal number, a string ('' already unescaped), a
/// date-time or a geography.
using Literal = std::variant<NullValue, bool, std::int64_t, double, std::string, DateTimeValue, GeoArea>;

/// "Datastream/ObservedProperty/name" → {"Datastream", "ObservedProperty", "name"}; "@iot.id" → {"@iot.id"}.
struct PropertyPath {
    std::vector<std::string> segments;
};

enum class LogicalOperator { Or, And };
enum class BinaryOperator { Eq, Ne, Gt, Ge, Lt, Le, Add, Sub, Mul, Div, Mod };
enum class UnaryOperator { Not, Negate };
enum class Function { GeoIntersects, SubstringOf, StartsWith, EndsWith, Contains, ToLower, ToUpper, Length };

/// "a or b or c" as one node with three operands (at least two), so that a long list of alternatives
/// does not make a deep tree.
struct Logical {
    LogicalOperator op;
    std::vector<ExpressionPtr> operands;
};

struct Binary {
    BinaryOperator op;
    ExpressionPtr left;
    ExpressionPtr right;
};

struct Unary {
    UnaryOperator op;
    ExpressionPtr operand;
};

/// A function call with the number of arguments its entry in Functions.h asks for.
struct Call {
    Function function;
    std::vector<ExpressionPtr> arguments;
};

struct Expression {
    std::variant<Literal, PropertyPath, Logical, Binary, Unary, Call> node;
    /// Where the node begins in the filter text (for a binary or logical node: its first operator).
    std::size_t position = 0;
    /// 1 for a leaf, 1 + the deepest child otherwise: at most kMaxFilterDepth (FilterParser.h), so a
    /// consumer may walk the tree recursively.
    std::size_t depth = 1;
};

}  // namespace citysense::api
