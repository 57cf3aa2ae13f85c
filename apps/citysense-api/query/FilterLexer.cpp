#include "FilterLexer.h"

#include "DateTimeLiteral.h"
#include "QueryError.h"

#include <charconv>
#include <cmath>

namespace citysense::api {
namespace {

bool isDigit(char c) {
    return c >= '0' && c <= '9';
}

bool isNameStart(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '@';
}

bool isNamePart(char c) {
    return isNameStart(c) || isDigit(c) || c == '.';
}

bool isDateTimePart(char c) {
    return isDigit(c) || c == '-' || c == ':' || c == '.' || c == '+' || c == 'T' || c == 'Z';
}

class Lexer {
public:
    Lexer(std::string_view text, const std::string& option) : text_(text), option_(option) {}

    std::vector<Token> run() {
        std::vector<Token> tokens;
        for (;;) {
            while (at_ < text_.size() && (text_[at_] == ' ' || text_[at_] == '\t'))
                ++at_;
            if (at_ == text_.size()) {
                tokens.push_back(Token{TokenKind::End, at_, {}, {}});
                return tokens;
            }
            tokens.push_back(next());
        }
    }

private:
    [[noreturn]] void fail(std::size_t at, const std::string& message) const {
        throw QueryError(option_, at, message);
    }

    char at(std::size_t i) const { return i < text_.size() ? text_[i] : '\0'; }

    Token punctuation(TokenKind kind) { return Token{kind, at_, text_.substr(at_++, 1), {}}; }

    Token next() {
        const char c = text_[at_];
        switch (c) {
            case '(':
                return punctuation(TokenKind::OpenParen);
            case ')':
                return punctuation(TokenKind::CloseParen);
            case ',':
                return punctuation(TokenKind::Comma);
            case '/':
                return punctuation(TokenKind::Slash);
            case '-':
                return punctuation(TokenKind::Minus);
            case '\'':
                return string();
            default:
                break;
        }
        if (isDigit(c))
            return isDigit(at(at_ + 1)) && isDigit(at(at_ + 2)) && isDigit(at(at_ + 3)) && at(at_ + 4) == '-'
                       ? dateTime()
                       : number();
        if (isNameStart(c))
            return name();
        if (static_cast<unsigned char>(c) >= 0x21 && static_cast<unsigned char>(c) <= 0x7E)
            fail(at_, std::string("unexpected character '") + c + "'");
        fail(at_, "unexpected character");
    }

    /// The quoted text from `start` (at its opening quote) with '' read as one quote; at_ ends past it.
    std::string quoted(std::size_t start) {
        std::string value;
        at_ = start + 1;
        for (;;) {
            const std::size_t quote = text_.find('\'', at_);
            if (quote == std::string_view::npos)
                fail(start, "unterminated string: a quote inside one is written ''");
            value.append(text_.substr(at_, quote - at_));
            at_ = quote + 1;
            if (at(at_) != '\'')
                return value;
            value += '\'';
            ++at_;
        }
    }

    Token string() {
        const std::size_t start = at_;
        std::string value = quoted(start);
        return Token{TokenKind::Literal, start, text_.substr(start, at_ - start), Literal(std::move(value))};
    }

    Token name() {
        const std::size_t start = at_;
        while (isNamePart(at(at_)))
            ++at_;
        const std::string_view word = text_.substr(start, at_ - start);
        if (word != "geography" || at(at_) != '\'')
            return Token{TokenKind::Name, start, word, {}};
        const std::size_t contentAt = at_ + 1;
        const std::string content = quoted(at_);
        if (content.find('\'') != std::string::npos)
            fail(contentAt + content.find('\''), "geography: unexpected quote");
        return Token{TokenKind::Literal, start, text_.substr(start, at_ - start),
                     Literal(parseGeography(content, option_, contentAt))};
    }

    Token dateTime() {
        const std::size_t start = at_;
        while (isDateTimePart(at(at_)))
            ++at_;
        const std::string_view written = text_.substr(start, at_ - start);
        return Token{TokenKind::Literal, start, written,
                     Literal(DateTimeValue{parseDateTime(written, option_, start)})};
    }

    Token number() {
        const std::size_t start = at_;
        bool decimal = false;
        while (isDigit(at(at_)))
            ++at_;
        if (at(at_) == '.') {
            decimal = true;
            if (!isDigit(at(++at_)))
                fail(at_, "expected digits after '.'");
            while (isDigit(at(at_)))
                ++at_;
        }
        if (at(at_) == 'e' || at(at_) == 'E') {
            decimal = true;
            ++at_;
            if (at(at_) == '+' || at(at_) == '-')
                ++at_;
            if (!isDigit(at(at_)))
                fail(at_, "expected the digits of an exponent");
            while (isDigit(at(at_)))
                ++at_;
        }
        if (isNamePart(at(at_)))
            fail(at_, "expected a space or an operator after a number");
        const std::string_view written = text_.substr(start, at_ - start);
        const char* end = written.data() + written.size();
        if (!decimal) {
            std::int64_t integer = 0;
            if (std::from_chars(written.data(), end, integer).ec == std::errc())
                return Token{TokenKind::Literal, start, written, Literal(integer)};
        }
        double value = 0;
        if (std::from_chars(written.data(), end, value).ec != std::errc() || !std::isfinite(value))
            fail(start, "number out of range");
        return Token{TokenKind::Literal, start, written, Literal(value)};
    }

    std::string_view text_;
    const std::string& option_;
    std::size_t at_ = 0;
};

}  // namespace

std::vector<Token> tokenize(std::string_view text, const std::string& option) {
    return Lexer(text, option).run();
}

}  // namespace citysense::api
