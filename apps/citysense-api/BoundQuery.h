// A SELECT put together from constant SQL text and values that reach the database only as bound
// values: nothing a request carries is ever written into the query text.
#pragma once

#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace citysense::api {

class BoundQuery {
public:
    using Value = std::variant<std::int64_t, double, std::string>;

    /// Appends SQL text. Only string literals of the program belong here, never a request's text.
    BoundQuery& sql(const char* text);
    /// Appends a placeholder and the value bound to it.
    BoundQuery& value(std::int64_t number);
    /// A double's placeholder (not an overload of value(): a literal 0 would be ambiguous).
    BoundQuery& decimal(double number);
    BoundQuery& value(std::string text);

    /// Appends `other`: its text, and its values in their places.
    BoundQuery& append(const BoundQuery& other);

    /// A copy in which each table named right after FROM or JOIN is replaced by what `replacement`
    /// gives for its name (a parenthesised SELECT; nothing: the table stays), keeping the table's name as
    /// the alias where the query gave none. Every value stays bound to its own placeholder.
    BoundQuery replacingTables(
        const std::function<std::optional<BoundQuery>(const std::string& table)>& replacement) const;

    /// Runs the query; every row it returns.
    Poco::Data::RecordSet run(Poco::Data::Session& session) const;

    /// Runs the query and appends its rows to `columns`, a typed vector a column, filled by the
    /// connector in bulk: no Dynamic::Var per value, as run()'s RecordSet makes. A column that may be
    /// NULL is a vector of Poco::Nullable.
    template <typename... Column>
    void extract(Poco::Data::Session& session, std::vector<Column>&... columns) const {
        Poco::Data::Statement statement = bound(session);
        (statement, ..., Poco::Data::Keywords::into(columns));
        statement.execute();
    }

    const std::string& text() const { return _text; }
    /// The values bound to the placeholders of text(), in their order.
    const std::vector<Value>& values() const { return _values; }

private:
    /// A statement of the text with every value bound.
    Poco::Data::Statement bound(Poco::Data::Session& session) const;

    std::string _text;
    std::vector<Value> _values;
};

}  // namespace citysense::api
