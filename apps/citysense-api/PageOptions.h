// The query options of this first slice of the API: `$top` (default 100, at most 10,000: more asks
// for server-driven paging) and `$skiptoken`, the key the @iot.nextLink of a page carries. Any other
// option is refused (400), never ignored; the full query-option parser replaces this.
#pragma once

#include <Poco/URI.h>

#include <optional>
#include <stdexcept>
#include <string>

namespace citysense::api {

struct PageOptions {
    static constexpr std::size_t kDefaultTop = 100;
    static constexpr std::size_t kMostTop = 10000;

    std::size_t top = kDefaultTop;
    std::optional<std::string> skipToken;  ///< the @iot.id of the last entity of the page before
};

/// A query option that is malformed or not supported (400), its message naming the option.
class BadOption : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Reads the request's query parameters; throws BadOption.
PageOptions parsePageOptions(const Poco::URI::QueryParameters& parameters);

}  // namespace citysense::api
