#include "Expand.h"

#include "OptionReader.h"
#include "QueryError.h"

#include <utility>

namespace citysense::api {
namespace {

bool isNameChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '@' || c == '.';
}

class ExpandReader {
public:
    ExpandReader(std::string_view text, const std::string& option) : text_(text), option_(option) {}

    std::vector<Expand> read() {
        std::vector<Expand> expands;
        for (;;) {
            skipSpace();
            const std::size_t nameAt = at_;
            while (at_ < text_.size() && isNameChar(text_[at_]))
                ++at_;
            if (at_ == nameAt)
                fail(at_, "expected a navigation property");
            Expand expand{std::string(text_.substr(nameAt, at_ - nameAt)), {}, {}};
            for (const Expand& earlier : expands)
                if (earlier.property == expand.property)
                    fail(nameAt, expand.property + " expanded more than once");
            skipSpace();
            if (peek() == '/')
                fail(at_, "only one level of $expand");
            if (peek() == '(')
                nestedOptions(expand);
            expands.push_back(std::move(expand));
            skipSpace();
            if (at_ == text_.size())
                return expands;
            if (peek() != ',')
                fail(at_, "expected ',' or the end after " + expands.back().property);
            ++at_;
        }
    }

private:
    [[noreturn]] void fail(std::size_t at, const std::string& message) const {
        throw QueryError(option_, at, message);
    }

    char peek() const { return at_ < text_.size() ? text_[at_] : '\0'; }

    void skipSpace() {
        while (peek() == ' ' || peek() == '\t')
            ++at_;
    }

    /// The end of the piece that begins at at_: the first of `stops` outside quotes and outside
    /// parentheses opened within the piece, or the end of the text.
    std::size_t pieceEnd(std::string_view stops) const {
        std::size_t depth = 0;
        bool quoted = false;
        for (std::size_t i = at_; i < text_.size(); ++i) {
            const char c = text_[i];
            if (c == '\'')
                quoted = !quoted;
            else if (quoted)
                continue;
            else if (depth == 0 && stops.find(c) != std::string_view::npos)
                return i;
            else if (c == '(')
                ++depth;
            else if (c == ')' && depth > 0)
                --depth;
        }
        return text_.size();
    }

    /// "($top=5;$select=name)" at at_ into `expand`, read with its own OptionReader; at_ ends past the ')'.
    void nestedOptions(Expand& expand) {
        const std::size_t open = at_++;
        OptionReader reader(OptionScope::Expand);
        for (;;) {
            const std::size_t pieceAt = at_;
            at_ = pieceEnd(";)");
            if (at_ == text_.size())
                fail(open, "expected ')' closing the options of " + expand.property);
            readNested(reader, pieceAt, expand);
            if (text_[at_++] == ')') {
                expand.options = std::move(reader.options());
                return;
            }
        }
    }

    /// The "$option=value" between `pieceAt` and at_, spaces around it aside; nothing when it is empty.
    void readNested(OptionReader& reader, std::size_t pieceAt, Expand& expand) {
        const std::string& property = expand.property;
        std::string_view piece = text_.substr(pieceAt, at_ - pieceAt);
        while (!piece.empty() && (piece.front() == ' ' || piece.front() == '\t')) {
            piece.remove_prefix(1);
            ++pieceAt;
        }
        while (!piece.empty() && (piece.back() == ' ' || piece.back() == '\t'))
            piece.remove_suffix(1);
        if (piece.empty())
            return;
        const std::size_t equals = piece.find('=');
        if (equals == std::string_view::npos)
            fail(pieceAt, "expected $option=value inside the options of " + property);
        const QueryParameter parameter{std::string(piece.substr(0, equals)),
                                       std::string(piece.substr(equals + 1))};
        const OptionEntry* entry = nullptr;
        try {
            entry = reader.entry(parameter.name);
        } catch (const QueryError& error) {
            fail(pieceAt, error.message() + " (" + parameter.name + " of " + property + ")");
        }
        try {
            reader.apply(entry, parameter);
        } catch (const QueryError& error) {
            fail(pieceAt + equals + 1 + error.position(),
                 "in " + parameter.name + " of " + property + ": " + error.message());
        }
        expand.parameters.push_back(parameter);
    }

    std::string_view text_;
    const std::string& option_;
    std::size_t at_ = 0;
};

}  // namespace

std::vector<Expand> parseExpand(std::string_view text, const std::string& option) {
    return ExpandReader(text, option).read();
}

}  // namespace citysense::api
