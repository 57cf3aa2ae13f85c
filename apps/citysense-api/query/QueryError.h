// The one exception of the query parser: which option is wrong, where in its value, and why. The
// service turns it into a 400 whose JSON body carries the three fields.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>

namespace citysense::api {

class QueryError : public std::runtime_error {
public:
    /// what() reads "OPTION at POSITION: MESSAGE", e.g. "$filter at 17: expected ')' after 'result gt 5'".
    QueryError(std::string option, std::size_t position, std::string message);

    /// The option as the client named it ("$filter"), or the parameter whose text is malformed.
    const std::string& option() const { return option_; }
    /// 0-based byte offset into the option's value after percent-decoding; a bad escape is located in
    /// the value as sent, a problem with the option itself (unknown, repeated) at 0, and a parameter
    /// without a name (option "query string") in the query string.
    std::size_t position() const { return position_; }
    const std::string& message() const { return message_; }

private:
    std::string option_;
    std::size_t position_;
    std::string message_;
};

}  // namespace citysense::api
