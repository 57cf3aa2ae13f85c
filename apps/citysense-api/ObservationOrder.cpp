#include "ObservationOrder.h"

#include "query/QueryError.h"

#include <citysense/Format.h>

#include <cerrno>
#include <cmath>
#include <cstdlib>

namespace citysense::api {
namespace {

bool isTime(const PropertyPath& path) {
    return path.segments.size() == 1 &&
           (path.segments[0] == "phenomenonTime" || path.segments[0] == "resultTime");
}

bool isResult(const PropertyPath& path) {
    return path.segments.size() == 1 && path.segments[0] == "result";
}

[[noreturn]] void refuseOrder() {
    throw QueryError("$orderby", 0,
                     "Observations are paged in the order of phenomenonTime (or resultTime) or of result, "
                     "asc or desc, optionally then phenomenonTime in the same direction; another order's "
                     "pages could not be continued correctly");
}

[[noreturn]] void refuseToken(const std::string& token) {
    throw QueryError("$skiptoken", 0,
                     quoteText(token) + " is not a token this service gave out for this order");
}

}  // namespace

ObservationOrder observationOrder(const std::vector<OrderBy>& orderBy) {
    if (orderBy.empty())
        return {};
    const bool byResult = isResult(orderBy[0].path);
    if (!byResult && !isTime(orderBy[0].path))
        refuseOrder();
    const bool descending = orderBy[0].descending;
    // result, phenomenonTime: the order results are paged in anyway, if the directions agree.
    const bool thenTime =
        orderBy.size() == 2 && byResult && isTime(orderBy[1].path) && orderBy[1].descending == descending;
    if (orderBy.size() > 1 && !thenTime)
        refuseOrder();
    return {byResult, descending};
}

std::string cursorToken(const ObservationOrder& order, const ObservationCursor& cursor) {
    const std::string key = observationId(cursor.key);
    return order.byResult ? formatNumber(cursor.result) + "~" + key : key;
}

ObservationCursor parseCursorToken(const ObservationOrder& order, const std::string& token) {
    ObservationCursor cursor;
    std::string key = token;
    if (order.byResult) {
        const auto tilde = token.find('~');
        if (tilde == std::string::npos || tilde == 0)
            refuseToken(token);
        const std::string number = token.substr(0, tilde);
        char* end = nullptr;
        errno = 0;
        cursor.result = std::strtod(number.c_str(), &end);
        if (errno != 0 || end != number.c_str() + number.size() || !std::isfinite(cursor.result))
            refuseToken(token);
        key = token.substr(tilde + 1);
    }
    const auto parsed = parseObservationId(key);
    if (!parsed)
        refuseToken(token);
    cursor.key = *parsed;
    return cursor;
}

}  // namespace citysense::api
