#include "BoundQuery.h"

#include <array>
#include <cctype>

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

BoundQuery& BoundQuery::append(const BoundQuery& other) {
    _text += other._text;
    _values.insert(_values.end(), other._values.begin(), other._values.end());
    return *this;
}

namespace {

bool isWordCharacter(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
}

std::string upper(std::string word) {
    for (char& c : word)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return word;
}

/// The word starting at `at` (empty when none does).
std::string wordAt(const std::string& text, std::size_t at) {
    std::size_t end = at;
    while (end < text.size() && isWordCharacter(text[end]))
        ++end;
    return text.substr(at, end - at);
}

std::size_t skipSpaces(const std::string& text, std::size_t at) {
    while (at < text.size() && std::isspace(static_cast<unsigned char>(text[at])))
        ++at;
    return at;
}

/// Whether a word following a table's name starts the rest of the query rather than naming an alias.
bool continuesQuery(const std::string& word) {
    static const std::array<const char*, 14> kKeywords = {"WHERE", "GROUP",  "ORDER", "LIMIT",  "JOIN",
                                                          "LEFT",  "RIGHT",  "INNER", "CROSS",  "ON",
                                                          "UNION", "HAVING", "USING", "NATURAL"};
    const std::string keyword = upper(word);
    for (const char* known : kKeywords) {
        if (keyword == known)
            return true;
    }
    return word.empty();
}

}  // namespace

BoundQuery BoundQuery::replacingTables(
    const std::function<std::optional<BoundQuery>(const std::string& table)>& replacement) const {
    BoundQuery result;
    std::size_t copied = 0;  // _text before this is in result
    std::size_t value = 0;   // the value of the next placeholder
    const auto copyTo = [&](std::size_t end) {
        result._text.append(_text, copied, end - copied);
        copied = end;
    };
    bool quoted = false;
    bool afterTableKeyword = false;  // the last word was FROM or JOIN
    for (std::size_t at = 0; at < _text.size();) {
        const char c = _text[at];
        if (quoted || c == '\'') {
            quoted = c == '\'' ? !quoted : quoted;
            ++at;
        } else if (c == '?') {
            copyTo(at);
            result._text += '?';
            result._values.push_back(_values.at(value++));
            copied = ++at;
        } else if (isWordCharacter(c) && (at == 0 || !isWordCharacter(_text[at - 1]))) {
            const std::string word = wordAt(_text, at);
            const std::size_t end = at + word.size();
            std::optional<BoundQuery> replaced;
            if (afterTableKeyword)
                replaced = replacement(word);
            if (replaced) {
                copyTo(at);
                result.append(*replaced);
                if (continuesQuery(wordAt(_text, skipSpaces(_text, end))))
                    result._text += " " + word;
                copied = end;
            }
            const std::string keyword = upper(word);
            afterTableKeyword = keyword == "FROM" || keyword == "JOIN";
            at = end;
        } else {
            ++at;
        }
    }
    copyTo(_text.size());
    return result;
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
