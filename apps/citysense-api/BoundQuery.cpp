#include "BoundQuery.h"

namespace citysense::api {

BoundQuery& BoundQuery::sql(const char* text) {
    _text += text;
    return *this;
}

BoundQuery& BoundQuery::value(std::int64_t number) {
    _text += "?";
    _values.emplace_back(number);
    return *this;
}

BoundQuery& BoundQuery::decimal(double number) {
    _text += "?";
    _values.emplace_back(number);
    return *this;
}

BoundQuery& BoundQuery::value(std::string text) {
    _text += "?";
    _values.emplace_back(std::move(text));
    return *this;
}

Poco::Data::Statement BoundQuery::bound(Poco::Data::Session& session) const {
    Poco::Data::Statement statement(session);
    statement << _text;
    for (const auto& value : _values) {
        // bind() copies the value into the statement, which outlives this loop.
        std::visit([&](const auto& bound) { statement, Poco::Data::Keywords::bind(bound); }, value);
    }
    return statement;
}

Poco::Data::RecordSet BoundQuery::run(Poco::Data::Session& session) const {
    Poco::Data::Statement statement = bound(session);
    statement.execute();
    return Poco::Data::RecordSet(statement);
}

}  // namespace citysense::api
