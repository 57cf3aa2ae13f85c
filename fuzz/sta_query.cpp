// citysense-api's query options: any bytes, as a query string and as a bare $filter, give options or a
// QueryError located within the text, never a crash, and what is accepted keeps the parser's limits.
#include <query/ExpressionText.h>
#include <query/FilterParser.h>
#include <query/QueryError.h>
#include <query/QueryOptions.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

namespace {

using namespace citysense::api;

/// Walks the tree (recursion is safe: its depth is bounded) and writes it out.
void checkTree(const Expression& expression) {
    if (expression.depth > kMaxFilterDepth)
        std::abort();
    if (expressionText(expression).empty())
        std::abort();
}

void checkCollection(const CollectionOptions& options) {
    if (options.filter != nullptr)
        checkTree(*options.filter);
    if (options.top < 0 || options.top > kMaxTop || options.skip < 0)
        std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view in(reinterpret_cast<const char*>(data), size);
    try {
        const QueryOptions options = parseQueryOptions(in);
        checkCollection(options);
        for (const Expand& expand : options.expand)
            checkCollection(expand.options);
    } catch (const QueryError& error) {
        if (error.position() > size)
            std::abort();
    }
    try {
        checkTree(*parseFilter(in));
    } catch (const QueryError& error) {
        if (error.position() > size)
            std::abort();
    }
    return 0;
}
