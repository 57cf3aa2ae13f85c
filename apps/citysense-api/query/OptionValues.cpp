#include "OptionValues.h"

#include "QueryError.h"
#include "TokenCursor.h"

#include <charconv>
#include <limits>

namespace citysense::api {
namespace {

/// Throws unless `text` is digits only: no sign, no space, not empty.
void checkDigits(std::string_view text, const std::string& option) {
    for (std::size_t i = 0; i < text.size(); ++i)
        if (text[i] < '0' || text[i] > '9')
            throw QueryError(option, i, "expected a whole number");
    if (text.empty())
        throw QueryError(option, 0, "expected a whole number");
}

/// Digits only; throws "at most …" naming `limit` past it.
std::int64_t wholeNumber(std::string_view text, const std::string& option, std::int64_t limit) {
    checkDigits(text, option);
    std::int64_t value = 0;
    const auto result = std::from_chars(text.data(), text.data() + text.size(), value);
    if (result.ec != std::errc() || value > limit)
        throw QueryError(option, 0, "at most " + std::to_string(limit));
    return value;
}

/// Reads `item` for each element of a comma-separated list that has at least one element.
template <typename ReadItem>
void readList(TokenCursor& cursor, ReadItem item) {
    for (;;) {
        const std::size_t start = cursor.peek().position;
        item();
        if (cursor.atEnd())
            return;
        if (!cursor.accept(TokenKind::Comma))
            cursor.failExpected("',' or the end", start);
    }
}

}  // namespace

std::vector<PropertyPath> parseSelect(std::string_view text, const std::string& option) {
    TokenCursor cursor(text, option);
    std::vector<PropertyPath> paths;
    readList(cursor, [&] { paths.push_back(cursor.readPath()); });
    return paths;
}

std::vector<OrderBy> parseOrderBy(std::string_view text, const std::string& option) {
    TokenCursor cursor(text, option);
    std::vector<OrderBy> orders;
    readList(cursor, [&] {
        OrderBy order{cursor.readPath(), false};
        if (cursor.peekName("desc") || cursor.peekName("asc"))
            order.descending = cursor.next().text == "desc";
        orders.push_back(std::move(order));
    });
    return orders;
}

std::int64_t parseTop(std::string_view text, const std::string& option) {
    checkDigits(text, option);
    std::int64_t value = 0;
    const auto result = std::from_chars(text.data(), text.data() + text.size(), value);
    // More than a page holds is server-driven paging (9.3.3.3), not an error: beyond 64 bits too.
    if (result.ec != std::errc() || value > kMaxTop)
        return kMaxTop;
    return value;
}

std::int64_t parseSkip(std::string_view text, const std::string& option) {
    return wholeNumber(text, option, std::numeric_limits<std::int64_t>::max());
}

bool parseCount(std::string_view text, const std::string& option) {
    if (text != "true" && text != "false")
        throw QueryError(option, 0, "expected true or false");
    return text == "true";
}

ResultFormat parseResultFormat(std::string_view text, const std::string& option) {
    if (text == "dataArray")
        return ResultFormat::DataArray;
    if (text == "csv")
        return ResultFormat::Csv;
    throw QueryError(option, 0, "expected dataArray or csv");
}

std::string parseSkipToken(std::string_view text, const std::string& option) {
    if (text.empty())
        throw QueryError(option, 0, "expected the token of an @iot.nextLink");
    return std::string(text);
}

}  // namespace citysense::api
