// Reading a token list front to back, with the errors every option parser words the same way:
// "expected X after '…'" quoting the text just read, and property paths.
#pragma once

#include "FilterLexer.h"

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace citysense::api {

class TokenCursor {
public:
    TokenCursor(std::string_view text, const std::string& option);

    /// The token `ahead` tokens on (the End token past the end).
    const Token& peek(std::size_t ahead = 0) const {
        return tokens_[std::min(at_ + ahead, tokens_.size() - 1)];
    }
    const Token& next() { return tokens_[at_ == tokens_.size() - 1 ? at_ : at_++]; }
    bool atEnd() const { return peek().kind == TokenKind::End; }
    /// Whether the next token is the name `word` (operators and keywords are names).
    bool peekName(std::string_view word) const;
    /// Consumes the next token when it has `kind`.
    bool accept(TokenKind kind);

    /// Throws QueryError at `position` with `message`.
    [[noreturn]] void fail(std::size_t position, const std::string& message) const;
    /// Throws "expected WHAT after 'the text from `from` up to the next token'" at the next token
    /// ("expected WHAT" alone when nothing was read since `from`).
    [[noreturn]] void failExpected(const std::string& what, std::size_t from) const;
    /// "'eq'", or "the end" for the End token.
    static std::string describe(const Token& token);

    /// name ('/' name)*: "Datastream/ObservedProperty/name". Names that are operators or keywords
    /// (and, eq, true, …) are refused.
    PropertyPath readPath();

private:
    std::string_view text_;
    const std::string& option_;
    std::vector<Token> tokens_;
    std::size_t at_ = 0;
};

/// Whether `word` is an operator or keyword of the expression language, so no property name.
bool isReservedName(std::string_view word);

}  // namespace citysense::api
