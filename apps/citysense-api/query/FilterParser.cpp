#include "FilterParser.h"

#include "Functions.h"
#include "Operators.h"
#include "QueryError.h"
#include "QueryString.h"
#include "TokenCursor.h"

#include <algorithm>
#include <utility>

namespace citysense::api {
namespace {

class FilterParser {
public:
    FilterParser(std::string_view text, const std::string& option) : cursor_(text, option) {}

    ExpressionPtr parse() {
        ExpressionPtr tree = expression();
        if (!cursor_.atEnd())
            cursor_.failExpected("an operator or the end", 0);
        return tree;
    }

private:
    /// Counts the nesting of parentheses, unary operators and calls while one is being read.
    class Nesting {
    public:
        Nesting(FilterParser& parser, std::size_t position) : parser_(parser) {
            if (++parser_.nesting_ > kMaxFilterDepth)
                parser_.tooDeep(position);
        }
        ~Nesting() { --parser_.nesting_; }
        Nesting(const Nesting&) = delete;
        Nesting& operator=(const Nesting&) = delete;

    private:
        FilterParser& parser_;
    };

    [[noreturn]] void tooDeep(std::size_t position) const {
        cursor_.fail(position, "nested deeper than " + std::to_string(kMaxFilterDepth) + " levels");
    }

    /// A node over children at most `childDepth` deep (0 for a leaf).
    template <typename Node>
    ExpressionPtr make(Node node, std::size_t position, std::size_t childDepth) const {
        if (childDepth + 1 > kMaxFilterDepth)
            tooDeep(position);
        auto expression = std::make_unique<Expression>();
        expression->node = std::move(node);
        expression->position = position;
        expression->depth = childDepth + 1;
        return expression;
    }

    static Precedence tighter(Precedence precedence) {
        return static_cast<Precedence>(static_cast<int>(precedence) + 1);
    }

    /// Operands at `precedence`'s next level joined by its operators.
    ExpressionPtr operand(Precedence precedence) {
        const Precedence next = tighter(precedence);
        if (next == Precedence::Unary)
            return unary();
        if (next == Precedence::And)
            return logical(LogicalOperator::And, "and", next);
        return binary(next);
    }

    ExpressionPtr expression() { return logical(LogicalOperator::Or, "or", Precedence::Or); }

    /// "a or b or c": one node with every operand of the chain.
    ExpressionPtr logical(LogicalOperator op, std::string_view name, Precedence precedence) {
        const std::size_t start = cursor_.peek().position;
        ExpressionPtr first = operand(precedence);
        if (!cursor_.peekName(name))
            return first;
        const std::size_t at = cursor_.peek().position;
        Logical node{op, {}};
        std::size_t childDepth = first->depth;
        node.operands.push_back(std::move(first));
        while (cursor_.peekName(name)) {
            cursor_.next();
            if (cursor_.atEnd())
                cursor_.failExpected("a value", start);
            node.operands.push_back(operand(precedence));
            childDepth = std::max(childDepth, node.operands.back()->depth);
        }
        return make(std::move(node), at, childDepth);
    }

    ExpressionPtr binary(Precedence precedence) {
        const std::size_t start = cursor_.peek().position;
        ExpressionPtr left = operand(precedence);
        while (cursor_.peek().kind == TokenKind::Name) {
            const OperatorInfo* info = findOperator(cursor_.peek().text, precedence);
            if (info == nullptr)
                break;
            const std::size_t at = cursor_.next().position;
            if (cursor_.atEnd())
                cursor_.failExpected("a value", start);
            ExpressionPtr right = operand(precedence);
            const std::size_t childDepth = std::max(left->depth, right->depth);
            left = make(Binary{info->op, std::move(left), std::move(right)}, at, childDepth);
        }
        return left;
    }

    ExpressionPtr unary() {
        const Token& token = cursor_.peek();
        const std::size_t at = token.position;
        if (cursor_.peekName("not")) {
            cursor_.next();
            const Nesting nesting(*this, at);
            ExpressionPtr operand = unary();
            const std::size_t childDepth = operand->depth;
            return make(Unary{UnaryOperator::Not, std::move(operand)}, at, childDepth);
        }
        if (token.kind == TokenKind::Minus) {
            cursor_.next();
            const Nesting nesting(*this, at);
            ExpressionPtr operand = unary();
            if (auto* literal = std::get_if<Literal>(&operand->node)) {
                if (auto* integer = std::get_if<std::int64_t>(literal)) {
                    *integer = -*integer;  // from_chars read at most INT64_MAX
                    operand->position = at;
                    return operand;
                }
                if (auto* decimal = std::get_if<double>(literal)) {
                    *decimal = -*decimal;
                    operand->position = at;
                    return operand;
                }
            }
            const std::size_t childDepth = operand->depth;
            return make(Unary{UnaryOperator::Negate, std::move(operand)}, at, childDepth);
        }
        return primary();
    }

    ExpressionPtr primary() {
        const Token& token = cursor_.peek();
        const std::size_t at = token.position;
        switch (token.kind) {
            case TokenKind::Literal:
                if (std::holds_alternative<GeoArea>(token.value))
                    cursor_.fail(at, "geography'…' is only allowed as the second argument of geo.intersects");
                return make(cursor_.next().value, at, 0);
            case TokenKind::OpenParen:
                return group();
            case TokenKind::Name:
                return name();
            default:
                cursor_.fail(at, "expected a value, found " + TokenCursor::describe(token));
        }
    }

    ExpressionPtr group() {
        const std::size_t open = cursor_.next().position;
        const Nesting nesting(*this, open);
        ExpressionPtr inner = expression();
        if (!cursor_.accept(TokenKind::CloseParen))
            cursor_.failExpected("')'", open + 1);
        return inner;
    }

    ExpressionPtr name() {
        const Token& token = cursor_.peek();
        const std::size_t at = token.position;
        if (token.text == "true" || token.text == "false" || token.text == "null") {
            cursor_.next();
            const Literal value = token.text == "null" ? Literal(NullValue{}) : Literal(token.text == "true");
            return make(value, at, 0);
        }
        if (isReservedName(token.text))
            cursor_.fail(at, "expected a value, found " + TokenCursor::describe(token));
        if (cursor_.peek(1).kind == TokenKind::OpenParen)
            return call();
        return make(cursor_.readPath(), at, 0);
    }

    ExpressionPtr call() {
        const Token& name = cursor_.next();
        const std::size_t at = name.position;
        const FunctionInfo* info = findFunction(name.text);
        if (info == nullptr)
            cursor_.fail(at, "unsupported function " + std::string(name.text));
        const std::size_t open = cursor_.next().position;
        const Nesting nesting(*this, open);
        Call node{info->function, {}};
        if (info->function == Function::GeoIntersects) {
            geoArguments(node.arguments, open);
        } else {
            for (std::size_t i = 0; i < info->arity; ++i) {
                if (i > 0 && !cursor_.accept(TokenKind::Comma))
                    cursor_.failExpected("',' (" + arity(*info) + ")", open + 1);
                node.arguments.push_back(expression());
            }
        }
        if (!cursor_.accept(TokenKind::CloseParen))
            cursor_.failExpected("')' (" + arity(*info) + ")", open + 1);
        std::size_t childDepth = 0;
        for (const ExpressionPtr& argument : node.arguments)
            childDepth = std::max(childDepth, argument->depth);
        return make(std::move(node), at, childDepth);
    }

    static std::string arity(const FunctionInfo& info) {
        return std::string(info.name) + " takes " + std::to_string(info.arity) +
               (info.arity == 1 ? " argument" : " arguments");
    }

    /// geo.intersects(path, geography'…'): a property path, then the area as a literal.
    void geoArguments(std::vector<ExpressionPtr>& arguments, std::size_t open) {
        const std::size_t pathAt = cursor_.peek().position;
        arguments.push_back(make(cursor_.readPath(), pathAt, 0));
        if (!cursor_.accept(TokenKind::Comma))
            cursor_.failExpected("',' (geo.intersects takes a location and geography'…')", open + 1);
        const Token& area = cursor_.peek();
        if (area.kind != TokenKind::Literal || !std::holds_alternative<GeoArea>(area.value))
            cursor_.fail(area.position,
                         "geo.intersects: expected geography'POLYGON((…))' or geography'BBOX(…)', found " +
                             TokenCursor::describe(area));
        arguments.push_back(make(cursor_.next().value, area.position, 0));
    }

    TokenCursor cursor_;
    std::size_t nesting_ = 0;
};

}  // namespace

ExpressionPtr parseFilter(std::string_view text, const std::string& option) {
    if (text.size() > kMaxValueBytes)
        throw QueryError(option, kMaxValueBytes, "longer than " + std::to_string(kMaxValueBytes) + " bytes");
    return FilterParser(text, option).parse();
}

}  // namespace citysense::api
