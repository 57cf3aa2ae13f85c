// The table of $options and the reader that applies them one by one, refusing an unknown option, one
// given twice, and one that has no place where it is given (inside $expand).
#pragma once

#include "QueryOptions.h"

#include <set>
#include <string>
#include <string_view>

namespace citysense::api {

enum class OptionScope { Request, Expand };

struct OptionEntry;

class OptionReader {
public:
    explicit OptionReader(OptionScope scope) : scope_(scope) {}

    /// The entry of option `name`; throws QueryError(name, 0, …) when it is unknown, was given
    /// already, or is not allowed in this scope. Names without '$' are the request's own parameters,
    /// and have no entry (nullptr) at request scope.
    const OptionEntry* entry(const std::string& name);
    /// Reads `value` into the options; throws QueryError(name, position in value, …).
    void apply(const OptionEntry* entry, const QueryParameter& parameter);

    QueryOptions& options() { return options_; }

private:
    OptionScope scope_;
    std::set<std::string> seen_;
    QueryOptions options_;
};

}  // namespace citysense::api
