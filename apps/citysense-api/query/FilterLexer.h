// The tokens of a SensorThings query expression ($filter, and the paths of $select and $orderby):
// names (property names, keywords and function names alike), literals already read into values,
// and punctuation. Positions are byte offsets into the option's value.
#pragma once

#include "Expression.h"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace citysense::api {

enum class TokenKind { Name, Literal, OpenParen, CloseParen, Comma, Slash, Minus, End };

struct Token {
    TokenKind kind;
    std::size_t position;
    /// The token as written (for a literal: all of it, quotes included).
    std::string_view text;
    /// Set for TokenKind::Literal.
    Literal value;
};

/// Splits `text` into tokens ending with one End token. A name begins with a letter, '_' or '@' and
/// goes on with letters, digits, '_', '.' and '@' ("@iot.id", "geo.intersects"). Literals: 'text'
/// with '' for a quote, integers (int64, larger ones as decimals), decimals with an optional
/// exponent, date-times (DateTimeLiteral.h) and geography'…' (Geography.h); a leading '-' is its own
/// token. Throws QueryError(option, position) for an unterminated string, a malformed literal or a
/// character no token begins with.
std::vector<Token> tokenize(std::string_view text, const std::string& option);

}  // namespace citysense::api
