#include "TokenCursor.h"

#include "QueryError.h"

#include <array>

namespace citysense::api {
namespace {

/// Quoted text longer than this is shortened in messages.
constexpr std::size_t kMaxQuotedText = 40;

/// `text` cut to kMaxQuotedText bytes at a UTF-8 character boundary, "…" marking a cut.
std::string shorten(std::string_view text) {
    if (text.size() <= kMaxQuotedText)
        return std::string(text);
    std::size_t cut = kMaxQuotedText;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80)
        --cut;
    return std::string(text.substr(0, cut)) + "…";
}

}  // namespace

bool isReservedName(std::string_view word) {
    static constexpr std::array<std::string_view, 19> kReserved{
        "and", "or",  "not", "eq",  "ne",   "gt",    "ge",   "lt",  "le",  "add",
        "sub", "mul", "div", "mod", "true", "false", "null", "asc", "desc"};
    for (const std::string_view reserved : kReserved)
        if (word == reserved)
            return true;
    return false;
}

TokenCursor::TokenCursor(std::string_view text, const std::string& option)
    : text_(text), option_(option), tokens_(tokenize(text, option)) {}

bool TokenCursor::peekName(std::string_view word) const {
    return peek().kind == TokenKind::Name && peek().text == word;
}

bool TokenCursor::accept(TokenKind kind) {
    if (peek().kind != kind)
        return false;
    next();
    return true;
}

void TokenCursor::fail(std::size_t position, const std::string& message) const {
    throw QueryError(option_, position, message);
}

void TokenCursor::failExpected(const std::string& what, std::size_t from) const {
    const std::size_t to = peek().position;
    std::string_view read = from < to ? text_.substr(from, to - from) : std::string_view();
    while (!read.empty() && (read.back() == ' ' || read.back() == '\t'))
        read.remove_suffix(1);
    while (!read.empty() && (read.front() == ' ' || read.front() == '\t'))
        read.remove_prefix(1);
    if (read.empty())
        fail(to, "expected " + what + ", found " + describe(peek()));
    fail(to, "expected " + what + " after '" + shorten(read) + "'");
}

std::string TokenCursor::describe(const Token& token) {
    if (token.kind == TokenKind::End)
        return "the end";
    return "'" + shorten(token.text) + "'";
}

PropertyPath TokenCursor::readPath() {
    PropertyPath path;
    do {
        const Token& token = peek();
        if (token.kind != TokenKind::Name || isReservedName(token.text))
            fail(token.position, "expected a property name, found " + describe(token));
        path.segments.emplace_back(next().text);
    } while (accept(TokenKind::Slash));
    return path;
}

}  // namespace citysense::api
