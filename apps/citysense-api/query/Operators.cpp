#include "Operators.h"

#include <array>

namespace citysense::api {
namespace {

// SensorThings API 1.1, 9.3.3.5.1.
constexpr std::array<OperatorInfo, 11> kOperators{{
    {"eq", BinaryOperator::Eq, Precedence::Equality},
    {"ne", BinaryOperator::Ne, Precedence::Equality},
    {"gt", BinaryOperator::Gt, Precedence::Relational},
    {"ge", BinaryOperator::Ge, Precedence::Relational},
    {"lt", BinaryOperator::Lt, Precedence::Relational},
    {"le", BinaryOperator::Le, Precedence::Relational},
    {"add", BinaryOperator::Add, Precedence::Additive},
    {"sub", BinaryOperator::Sub, Precedence::Additive},
    {"mul", BinaryOperator::Mul, Precedence::Multiplicative},
    {"div", BinaryOperator::Div, Precedence::Multiplicative},
    {"mod", BinaryOperator::Mod, Precedence::Multiplicative},
}};

}  // namespace

const OperatorInfo* findOperator(std::string_view name, Precedence precedence) {
    for (const OperatorInfo& info : kOperators)
        if (info.precedence == precedence && info.name == name)
            return &info;
    return nullptr;
}

std::string_view operatorName(BinaryOperator op) {
    for (const OperatorInfo& info : kOperators)
        if (info.op == op)
            return info.name;
    return {};  // unreachable: every operator has an entry
}

}  // namespace citysense::api
