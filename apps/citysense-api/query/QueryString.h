// A request's query string as parameters: split at '&' and the first '=', each half percent-decoded
// with '+' as a space (the form encoding SensorThings clients send), and checked to be UTF-8 text.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace citysense::api {

/// The most a parameter's value may hold once decoded: a $filter of 64 KiB is already far beyond
/// what a person or a tool writes.
inline constexpr std::size_t kMaxValueBytes = 64 * 1024;

struct QueryParameter {
    std::string name;
    std::string value;
};

/// "$top=5&$filter=name+eq+'a%26b'" → {"$top", "5"}, {"$filter", "name eq 'a&b'"}, in order. Empty
/// pieces ("a=1&&b=2", a trailing '&') are skipped; a piece without '=' has an empty value. Throws
/// QueryError for a bad escape ('%' not followed by two hex digits: located at the '%' in the value
/// as sent), a name or value that is not UTF-8 or holds a control character, an empty name, and a
/// value longer than kMaxValueBytes.
std::vector<QueryParameter> splitQueryString(std::string_view query);

}  // namespace citysense::api
