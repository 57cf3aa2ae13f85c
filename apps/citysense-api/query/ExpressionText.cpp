#include "ExpressionText.h"

#include "Functions.h"
#include "Operators.h"

#include <array>
#include <charconv>

namespace citysense::api {
namespace {

std::string decimalText(double value) {
    std::array<char, 32> buffer{};
    const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
    return std::string(buffer.data(), result.ptr);
}

std::string pointText(const GeoPoint& point, const char* separator) {
    return decimalText(point.longitude) + separator + decimalText(point.latitude);
}

struct LiteralText {
    std::string operator()(NullValue) const { return "null"; }
    std::string operator()(bool value) const { return value ? "true" : "false"; }
    std::string operator()(std::int64_t value) const { return std::to_string(value); }
    std::string operator()(double value) const { return decimalText(value); }
    std::string operator()(const std::string& value) const {
        std::string text = "'";
        for (const char c : value)
            text += c == '\'' ? std::string("''") : std::string(1, c);
        return text + "'";
    }
    std::string operator()(DateTimeValue value) const {
        return "datetime(" + std::to_string(value.microseconds) + ")";
    }
    std::string operator()(const GeoArea& area) const {
        if (const auto* box = std::get_if<GeoBoundingBox>(&area))
            return "bbox(" + pointText(box->southWest, ",") + "," + pointText(box->northEast, ",") + ")";
        std::string text = "polygon(";
        for (const GeoPoint& point : std::get<GeoPolygon>(area).ring)
            text += (text.size() > 8 ? ", " : "") + pointText(point, " ");
        return text + ")";
    }
};

struct NodeText {
    std::string operator()(const Literal& literal) const { return std::visit(LiteralText{}, literal); }
    std::string operator()(const PropertyPath& path) const {
        std::string text;
        for (const std::string& segment : path.segments)
            text += (text.empty() ? "" : "/") + segment;
        return text;
    }
    std::string operator()(const Logical& logical) const {
        const char* separator = logical.op == LogicalOperator::Or ? " or " : " and ";
        std::string text = "(";
        for (std::size_t i = 0; i < logical.operands.size(); ++i)
            text += (i > 0 ? separator : "") + expressionText(*logical.operands[i]);
        return text + ")";
    }
    std::string operator()(const Binary& binary) const {
        return "(" + expressionText(*binary.left) + " " + std::string(operatorName(binary.op)) + " " +
               expressionText(*binary.right) + ")";
    }
    std::string operator()(const Unary& unary) const {
        return unary.op == UnaryOperator::Not ? "(not " + expressionText(*unary.operand) + ")"
                                              : "(-" + expressionText(*unary.operand) + ")";
    }
    std::string operator()(const Call& call) const {
        std::string text = std::string(functionInfo(call.function).name) + "(";
        for (std::size_t i = 0; i < call.arguments.size(); ++i)
            text += (i > 0 ? ", " : "") + expressionText(*call.arguments[i]);
        return text + ")";
    }
};

}  // namespace

std::string expressionText(const Expression& expression) {
    return std::visit(NodeText{}, expression.node);
}

}  // namespace citysense::api
