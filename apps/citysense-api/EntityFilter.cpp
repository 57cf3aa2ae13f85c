#include "EntityFilter.h"

#include "query/Functions.h"
#include "query/QueryError.h"

#include <optional>
#include <string>
#include <vector>

namespace citysense::api {
namespace {

[[noreturn]] void refuse(const Expression& at, const std::string& message) {
    throw QueryError("$filter", at.position, message);
}

std::string pathText(const PropertyPath& path) {
    std::string text;
    for (const std::string& segment : path.segments)
        text += (text.empty() ? "" : "/") + segment;
    return text;
}

/// The SQL of a comparison operator; nullptr for arithmetic.
const char* comparison(BinaryOperator op) {
    switch (op) {
        case BinaryOperator::Eq:
            return " = ";
        case BinaryOperator::Ne:
            return " <> ";
        case BinaryOperator::Gt:
            return " > ";
        case BinaryOperator::Ge:
            return " >= ";
        case BinaryOperator::Lt:
            return " < ";
        case BinaryOperator::Le:
            return " <= ";
        default:
            return nullptr;
    }
}

/// `5 lt result` is `result gt 5`.
BinaryOperator mirrored(BinaryOperator op) {
    switch (op) {
        case BinaryOperator::Gt:
            return BinaryOperator::Lt;
        case BinaryOperator::Ge:
            return BinaryOperator::Le;
        case BinaryOperator::Lt:
            return BinaryOperator::Gt;
        case BinaryOperator::Le:
            return BinaryOperator::Ge;
        default:
            return op;
    }
}

/// "hypo/city_01/street_01" → {"hypo", "city_01", "street_01"}: the parts of `text` between `separator`s.
std::vector<std::string> split(const std::string& text, char separator) {
    std::vector<std::string> parts(1);
    for (const char c : text) {
        if (c == separator)
            parts.emplace_back();
        else
            parts.back() += c;
    }
    return parts;
}

class Translator {
public:
    Translator(BoundQuery& query, EntityType type, const FilterDialect& dialect)
        : _query(query), _type(type), _set(entitySetName(type)), _dialect(dialect) {}

    void condition(const Expression& expression) {
        if (const auto* logical = std::get_if<Logical>(&expression.node)) {
            _query.sql("(");
            for (std::size_t at = 0; at < logical->operands.size(); ++at) {
                if (at > 0)
                    _query.sql(logical->op == LogicalOperator::And ? " AND " : " OR ");
                condition(*logical->operands[at]);
            }
            _query.sql(")");
        } else if (const auto* unary = std::get_if<Unary>(&expression.node)) {
            if (unary->op != UnaryOperator::Not)
                refuse(expression, "a negative number is not a condition");
            _query.sql("NOT (");
            condition(*unary->operand);
            _query.sql(")");
        } else if (const auto* binary = std::get_if<Binary>(&expression.node)) {
            compare(expression, *binary);
        } else if (const auto* literal = std::get_if<Literal>(&expression.node)) {
            const auto* truth = std::get_if<bool>(literal);
            if (!truth)
                refuse(expression, "a literal here must be true or false");
            _query.sql(*truth ? "1 = 1" : "1 = 0");
        } else if (const auto* call = std::get_if<Call>(&expression.node)) {
            textFunction(expression, *call);
        } else {
            refuse(expression, "a property alone is not a condition: compare it with a value");
        }
    }

private:
    [[noreturn]] void refuseCall(const Expression& expression, const Call& call) const {
        refuse(expression, std::string(functionInfo(call.function).name) + "() is not supported on " + _set);
    }

    /// A comparison must be of a property with a literal; says what else it found.
    [[noreturn]] void refuseOperand(const Expression& operand) const {
        if (const auto* call = std::get_if<Call>(&operand.node))
            refuseCall(operand, *call);
        if (std::holds_alternative<Binary>(operand.node))
            refuse(operand, "arithmetic is not supported on " + _set);
        refuse(operand, "a comparison on " + _set + " is of a property with a literal value");
    }

    void compare(const Expression& expression, const Binary& binary) {
        if (!comparison(binary.op))
            refuse(expression, "arithmetic is not a condition");
        const Expression* property = binary.left.get();
        const Expression* value = binary.right.get();
        BinaryOperator op = binary.op;
        if (std::holds_alternative<Literal>(property->node) &&
            !std::holds_alternative<Literal>(value->node)) {
            std::swap(property, value);
            op = mirrored(op);
        }
        const auto* call = std::get_if<Call>(&property->node);
        if (call && std::holds_alternative<Literal>(value->node)) {
            functionComparison(*property, *call, op, *value);
            return;
        }
        if (!std::holds_alternative<PropertyPath>(property->node))
            refuseOperand(*property);
        if (!std::holds_alternative<Literal>(value->node))
            refuseOperand(*value);
        const std::string name = pathText(std::get<PropertyPath>(property->node));
        const Literal& literal = std::get<Literal>(value->node);
        if (std::holds_alternative<NullValue>(literal))
            refuse(*value, name + " is never null");
        const Operand operand{expression, *value, literal, name, op};
        const bool known = _type == EntityType::Observation  ? observationProperty(operand)
                           : _type == EntityType::Thing      ? thingProperty(operand)
                           : _type == EntityType::Datastream ? datastreamProperty(operand)
                                                             : false;
        if (!known)
            refuse(*property, _set + " have no property " + name + " a filter can compare");
    }

    /// A comparison of the property `name` with `literal` (the expression `value`), as `op` says.
    struct Operand {
        const Expression& comparison;
        const Expression& value;
        const Literal& literal;
        const std::string& name;
        BinaryOperator op;
    };

    bool observationProperty(const Operand& o) {
        const std::string& name = o.name;
        if (name == "phenomenonTime" || name == "resultTime") {
            const auto* time = std::get_if<DateTimeValue>(&o.literal);
            if (!time)
                refuse(o.value,
                       name + " is a time: compare it with a date-time such as 2025-11-24T16:00:00Z");
            _query.sql("r.time").sql(comparison(o.op));
            _dialect.bindTime(_query, time->microseconds);
        } else if (name == "result") {
            _query.sql("r.value").sql(comparison(o.op)).decimal(number(o.value, o.literal, name));
        } else if (name == "Datastream/@iot.id") {
            column("r.sensor_id", o, whole(o.value, o.literal, name));
        } else if (name == "Datastream/Thing/@iot.id") {
            _query.sql("r.sensor_id IN (SELECT id FROM sensors WHERE ");
            column("station_id", o, whole(o.value, o.literal, name));
            _query.sql(")");
        } else if (name == "Datastream/ObservedProperty/name") {
            _query.sql("r.sensor_id IN (SELECT id FROM sensors WHERE ");
            column("quantity", o, text(o.value, o.literal, name));
            _query.sql(")");
        } else if (name == "@iot.id") {
            equalityOnly(o.comparison, o.op, name);
            observationIs(o.op, text(o.value, o.literal, name));
        } else if (name == "Datastream/Thing/name") {
            equalityOnly(o.comparison, o.op, name);
            _query.sql(o.op == BinaryOperator::Ne ? "NOT " : "")
                .sql(
                    "(r.sensor_id IN (SELECT s.id FROM sensors s JOIN stations st ON st.id = s.station_id "
                    "WHERE ");
            stationIs(text(o.value, o.literal, name));
            _query.sql("))");
        } else {
            return false;
        }
        return true;
    }

    bool thingProperty(const Operand& o) {
        const std::string& name = o.name;
        if (name == "@iot.id") {
            column("st.id", o, whole(o.value, o.literal, name));
        } else if (name == "name") {
            equalityOnly(o.comparison, o.op, name);
            _query.sql(o.op == BinaryOperator::Ne ? "NOT (" : "(");
            stationIs(text(o.value, o.literal, name));
            _query.sql(")");
        } else if (name == "properties/system") {
            column("st.system", o, text(o.value, o.literal, name));
        } else if (name == "properties/city") {
            column("st.city", o, text(o.value, o.literal, name));
        } else if (name == "properties/street") {
            column("st.street", o, text(o.value, o.literal, name));
        } else {
            return false;
        }
        return true;
    }

    bool datastreamProperty(const Operand& o) {
        const std::string& name = o.name;
        if (name == "@iot.id") {
            column("s.id", o, whole(o.value, o.literal, name));
        } else if (name == "ObservedProperty/name") {
            column("s.quantity", o, text(o.value, o.literal, name));
        } else if (name == "unitOfMeasurement/symbol") {
            column("s.unit", o, text(o.value, o.literal, name));
        } else if (name == "Thing/@iot.id") {
            column("s.station_id", o, whole(o.value, o.literal, name));
        } else if (name == "Thing/name") {
            equalityOnly(o.comparison, o.op, name);
            _query.sql(o.op == BinaryOperator::Ne ? "NOT (" : "(");
            stationIs(text(o.value, o.literal, name));
            _query.sql(")");
        } else {
            return false;
        }
        return true;
    }

    /// A text property stored in one column: `prefix column ... suffix` selects by it.
    struct TextColumn {
        const char* prefix;
        const char* column;
        const char* suffix;
    };

    std::optional<TextColumn> textColumn(const std::string& name) const {
        switch (_type) {
            case EntityType::Observation:
                if (name == "Datastream/ObservedProperty/name")
                    return TextColumn{"r.sensor_id IN (SELECT id FROM sensors WHERE ", "quantity", ")"};
                break;
            case EntityType::Thing:
                if (name == "properties/system")
                    return TextColumn{"", "st.system", ""};
                if (name == "properties/city")
                    return TextColumn{"", "st.city", ""};
                if (name == "properties/street")
                    return TextColumn{"", "st.street", ""};
                break;
            case EntityType::Datastream:
                if (name == "ObservedProperty/name")
                    return TextColumn{"", "s.quantity", ""};
                if (name == "unitOfMeasurement/symbol")
                    return TextColumn{"", "s.unit", ""};
                break;
            default:
                break;
        }
        return std::nullopt;
    }

    /// The column of the text property `argument` names, for the function `call`; refuses another.
    TextColumn textArgument(const Expression& argument, const Call& call) const {
        const std::string function = std::string(functionInfo(call.function).name) + "()";
        const auto* path = std::get_if<PropertyPath>(&argument.node);
        if (!path)
            refuse(argument, function + " takes a property of " + _set + " here");
        const auto column = textColumn(pathText(*path));
        if (!column)
            refuse(argument, function + " is not supported on " + pathText(*path) + " of " + _set);
        return *column;
    }

    static std::string textLiteral(const Expression& argument, const Call& call) {
        const auto* literal = std::get_if<Literal>(&argument.node);
        const auto* string = literal ? std::get_if<std::string>(literal) : nullptr;
        if (!string)
            refuse(argument, std::string(functionInfo(call.function).name) + "() takes a quoted string here");
        return *string;
    }

    /// startswith(p, 'x'), endswith(p, 'x'), contains(p, 'x'), substringof('x', p) as a condition.
    void textFunction(const Expression& expression, const Call& call) {
        const bool substringOf = call.function == Function::SubstringOf;
        if (!substringOf && call.function != Function::StartsWith && call.function != Function::EndsWith &&
            call.function != Function::Contains)
            refuseCall(expression, call);
        const Expression& property = *call.arguments[substringOf ? 1 : 0];
        const Expression& text = *call.arguments[substringOf ? 0 : 1];
        const TextColumn column = textArgument(property, call);
        const std::string part = textLiteral(text, call);
        _query.sql("(").sql(column.prefix);
        if (call.function == Function::StartsWith) {
            _query.sql("INSTR(").sql(column.column).sql(", ").value(part).sql(") = 1");
        } else if (call.function == Function::EndsWith) {
            if (part.empty())
                _query.sql("1 = 1");
            else if (_dialect.sqlite)
                _query.sql("SUBSTR(")
                    .sql(column.column)
                    .sql(", -LENGTH(")
                    .value(part)
                    .sql(")) = ")
                    .value(part);
            else
                _query.sql("RIGHT(")
                    .sql(column.column)
                    .sql(", CHAR_LENGTH(")
                    .value(part)
                    .sql(")) = ")
                    .value(part);
        } else {
            _query.sql("INSTR(").sql(column.column).sql(", ").value(part).sql(") > 0");
        }
        _query.sql(column.suffix).sql(")");
    }

    /// tolower(p) eq 'x', toupper(p) eq 'X', length(p) gt 3.
    void functionComparison(const Expression& expression, const Call& call, BinaryOperator op,
                            const Expression& value) {
        if (call.function != Function::ToLower && call.function != Function::ToUpper &&
            call.function != Function::Length)
            refuseCall(expression, call);
        const TextColumn column = textArgument(*call.arguments[0], call);
        const Literal& literal = std::get<Literal>(value.node);
        const std::string name = std::string(functionInfo(call.function).name) + "()";
        _query.sql("(").sql(column.prefix);
        if (call.function == Function::Length) {
            _query.sql(_dialect.sqlite ? "LENGTH(" : "CHAR_LENGTH(").sql(column.column).sql(")");
            _query.sql(comparison(op)).value(whole(value, literal, name));
        } else {
            _query.sql(call.function == Function::ToLower ? "LOWER(" : "UPPER(").sql(column.column).sql(")");
            _query.sql(comparison(op)).value(text(value, literal, name));
        }
        _query.sql(column.suffix).sql(")");
    }

    /// `sqlColumn OP value`.
    template <typename Value>
    void column(const char* sqlColumn, const Operand& o, Value value) {
        _query.sql(sqlColumn).sql(comparison(o.op)).value(std::move(value));
    }

    static double number(const Expression& at, const Literal& literal, const std::string& name) {
        if (const auto* integer = std::get_if<std::int64_t>(&literal))
            return static_cast<double>(*integer);
        if (const auto* decimal = std::get_if<double>(&literal))
            return *decimal;
        refuse(at, name + " is a number: compare it with a number");
    }

    static std::int64_t whole(const Expression& at, const Literal& literal, const std::string& name) {
        if (const auto* integer = std::get_if<std::int64_t>(&literal))
            return *integer;
        refuse(at, name + " is a whole number: compare it with one");
    }

    static std::string text(const Expression& at, const Literal& literal, const std::string& name) {
        if (const auto* string = std::get_if<std::string>(&literal))
            return *string;
        refuse(at, name + " is a text: compare it with a quoted string");
    }

    /// `at`: the comparison, whose position is its operator's.
    static void equalityOnly(const Expression& at, BinaryOperator op, const std::string& name) {
        if (op != BinaryOperator::Eq && op != BinaryOperator::Ne)
            refuse(at, name + " is compared with eq or ne only");
    }

    /// @iot.id eq '3-1764000000123456': one reading; a text that is no Observation's id is none.
    void observationIs(BinaryOperator op, const std::string& id) {
        _query.sql(op == BinaryOperator::Ne ? "NOT " : "");
        const auto key = parseObservationId(id);
        if (!key) {
            _query.sql("(1 = 0)");
            return;
        }
        _query.sql("(r.sensor_id = ").value(key->sensor).sql(" AND r.time = ");
        _dialect.bindTime(_query, key->time);
        _query.sql(")");
    }

    /// A station's name 'system/city/street' as its three columns (alias st), each bound; a name of
    /// another form is no station's.
    void stationIs(const std::string& name) {
        const std::vector<std::string> parts = split(name, '/');
        if (parts.size() != 3) {
            _query.sql("1 = 0");
            return;
        }
        _query.sql("st.system = ")
            .value(parts[0])
            .sql(" AND st.city = ")
            .value(parts[1])
            .sql(" AND st.street = ")
            .value(parts[2]);
    }

    BoundQuery& _query;
    EntityType _type;
    std::string _set;
    const FilterDialect& _dialect;
};

}  // namespace

void appendFilter(BoundQuery& query, EntityType type, const Expression& filter,
                  const FilterDialect& dialect) {
    query.sql("(");
    Translator(query, type, dialect).condition(filter);
    query.sql(")");
}

}  // namespace citysense::api
