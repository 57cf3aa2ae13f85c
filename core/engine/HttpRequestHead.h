// What HttpResponder reads of a request: where its head ends and its request line. Apart from the
// socket loop so that it can face a fuzzer (fuzz/http_request.cpp).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace citysense {

struct RequestLine {
    std::string method;
    std::string target;
};

/// The end of the request head ("\r\n\r\n", or "\n\n" from a lax client), or npos.
std::size_t requestHeadEnd(std::string_view in);

/// "GET /health HTTP/1.1" → {GET, /health}; nothing when the head's first line is not an HTTP/1.x
/// request line (method, one space, target, one space, a version beginning with "HTTP/1.").
std::optional<RequestLine> parseRequestLine(std::string_view head);

}  // namespace citysense
