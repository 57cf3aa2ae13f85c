// A SELECT put together from constant SQL text and values that reach the database only as bound
// values: nothing a request carries is ever written into the query text.
#pragma once

#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Session.h>

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace citysense::api {

class BoundQuery {
public:
    /// Appends SQL text. Only string literals of the program belong here, never a request's text.
    BoundQuery& sql(const char* text);
    /// Appends a placeholder and the value bound to it.
    BoundQuery& value(std::int64_t number);
    /// A double's placeholder (not an overload of value(): a literal 0 would be ambiguous).
    BoundQuery& decimal(double number);
    BoundQuery& value(std::string text);

    /// Runs the query; every row it returns.
    Poco::Data::RecordSet run(Poco::Data::Session& session) const;

    const std::string& text() const { return _text; }

private:
    std::string _text;
    std::vector<std::variant<std::int64_t, double, std::string>> _values;
};

}  // namespace citysense::api
