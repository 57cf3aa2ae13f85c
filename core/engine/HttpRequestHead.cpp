#include "HttpRequestHead.h"

#include <algorithm>

namespace citysense {

std::size_t requestHeadEnd(std::string_view in) {
    return std::min(in.find("\r\n\r\n"), in.find("\n\n"));
}

std::optional<RequestLine> parseRequestLine(std::string_view head) {
    std::string_view line = head.substr(0, head.find('\n'));
    if (!line.empty() && line.back() == '\r')
        line.remove_suffix(1);
    const auto first = line.find(' ');
    if (first == std::string_view::npos)
        return std::nullopt;
    const auto second = line.find(' ', first + 1);
    if (second == std::string_view::npos || line.substr(second + 1).rfind("HTTP/1.", 0) != 0)
        return std::nullopt;
    return RequestLine{std::string(line.substr(0, first)),
                       std::string(line.substr(first + 1, second - first - 1))};
}

}  // namespace citysense
