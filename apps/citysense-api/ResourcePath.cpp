#include "ResourcePath.h"

#include <citysense/Format.h>

#include <algorithm>
#include <cctype>

namespace citysense::api {

namespace {

// Paths longer than this are refused before anything is done with them (a set, an id and a few
// navigations fit many times over).
constexpr std::size_t kMaxPathBytes = 1024;
constexpr std::size_t kMaxSegments = 8;

struct Segment {
    std::string name;
    std::optional<std::string> key;  ///< the text between the parentheses, as written
};

Segment splitSegment(const std::string& text) {
    const auto open = text.find('(');
    Segment segment{text.substr(0, open), std::nullopt};
    if (segment.name.empty() || !std::all_of(segment.name.begin(), segment.name.end(),
                                             [](unsigned char c) { return std::isalpha(c); }))
        throw MalformedPath("malformed path segment " + quoteText(text));
    if (open == std::string::npos)
        return segment;
    if (text.back() != ')' || text.size() < open + 2)
        throw MalformedPath("malformed path segment " + quoteText(text) + ": an id is written Name(1)");
    segment.key = text.substr(open + 1, text.size() - open - 2);
    return segment;
}

EntityId parseId(EntityType type, const std::string& literal) {
    if (type == EntityType::Observation) {
        const bool quoted = literal.size() >= 2 && literal.front() == '\'' && literal.back() == '\'';
        if (const auto key =
                quoted ? parseObservationId(literal.substr(1, literal.size() - 2)) : std::nullopt)
            return *key;
        throw MalformedPath("malformed Observation id " + quoteText(literal) +
                            ": expected a quoted SENSOR-MICROS, e.g. '3-1764000000123456'");
    }
    const bool digits =
        !literal.empty() && literal.size() <= 18 &&
        std::all_of(literal.begin(), literal.end(), [](unsigned char c) { return std::isdigit(c); });
    if (!digits)
        throw MalformedPath(std::string("malformed ") + entitySetName(type) + " id " + quoteText(literal) +
                            ": expected a whole number");
    return std::int64_t{std::stoll(literal)};
}

}  // namespace

EntityType ResourcePath::target() const {
    EntityType type = set;
    for (const auto& name : navigations)
        type = navigation(type, name)->target;
    return type;
}

bool ResourcePath::single() const {
    EntityType type = set;
    bool one = id.has_value();
    for (const auto& name : navigations) {
        const Navigation next = *navigation(type, name);
        type = next.target;
        one = next.single;
    }
    return one;
}

ResourcePath parseResourcePath(const std::string& path) {
    if (path.size() > kMaxPathBytes)
        throw MalformedPath("the path is longer than " + std::to_string(kMaxPathBytes) + " bytes");
    std::vector<std::string> parts;
    for (std::size_t at = 0;;) {
        const auto slash = path.find('/', at);
        parts.push_back(path.substr(at, slash == std::string::npos ? std::string::npos : slash - at));
        if (slash == std::string::npos)
            break;
        at = slash + 1;
    }
    if (parts.size() > kMaxSegments)
        throw MalformedPath("the path has more than " + std::to_string(kMaxSegments) + " segments");
    const Segment first = splitSegment(parts.front());
    const auto set = entitySetByName(first.name);
    if (!set)
        throw UnknownPath("no entity set named " + quoteText(first.name));
    ResourcePath resource{*set, std::nullopt};
    if (first.key)
        resource.id = parseId(*set, *first.key);
    EntityType type = *set;
    bool single = resource.id.has_value();
    for (std::size_t at = 1; at < parts.size(); ++at) {
        const Segment segment = splitSegment(parts[at]);
        if (!single)
            throw MalformedPath("a navigation property follows one entity, not the collection before " +
                                quoteText(parts[at]));
        const auto next = navigation(type, segment.name);
        if (!next)
            throw UnknownPath(std::string(entitySetName(type)) + " have no navigation property " +
                              quoteText(segment.name));
        if (segment.key)
            throw MalformedPath("an id after a navigation property is not supported: address " +
                                quoteText(parts[at]) + " from its own entity set");
        resource.navigations.push_back(segment.name);
        type = next->target;
        single = next->single;
    }
    return resource;
}

}  // namespace citysense::api
