#include "Subscription.h"

#include <stdexcept>

namespace citysense::mqtt {

namespace {

/// What makes `filter` an invalid MQTT topic filter; empty when it is valid.
std::string filterProblem(const std::string& filter) {
    std::size_t start = 0;
    for (;;) {
        const std::size_t end = filter.find('/', start);
        const std::string level = filter.substr(start, end == std::string::npos ? end : end - start);
        const bool wildcard = level.find_first_of("+#") != std::string::npos;
        if (wildcard && level.size() > 1)
            return "a wildcard (+ or #) must be a whole level";
        if (level == "#" && end != std::string::npos)
            return "# must be the last level";
        if (end == std::string::npos)
            return "";
        start = end + 1;
    }
}

TopicTemplate readTemplate(const Options& options) {
    try {
        return TopicTemplate(options.getString("topic"));
    } catch (const std::invalid_argument& error) {
        throw OptionError("topic", error.what());
    }
}

}  // namespace

OptionTable subscriptionOptions(const std::string& topicsDefault) {
    return {
        Option::list("topics", "",
                     "Topic filters to subscribe to (default: the topic template's, " + topicsDefault + ")"),
        Option::string("topic", TopicTemplate::kDefault,
                       "The publishers' topic template, to read station and quantity back"),
        Option::choice("format", {"auto", "tsv", "json", "senml"}, "auto",
                       "Payload format; auto tells them apart"),
    };
}

Subscription readSubscription(const Options& options, const std::string& system) {
    Subscription subscription{{}, readTemplate(options), payloadFormatByName(options.getString("format"))};
    subscription.filters = options.has("topics") ? options.getList("topics") : std::vector<std::string>();
    if (subscription.filters.empty())
        subscription.filters = {subscription.topic.filter(system)};
    for (const std::string& filter : subscription.filters)
        if (const std::string problem = filterProblem(filter); !problem.empty())
            throw OptionError("topics", "'" + filter + "': " + problem);
    return subscription;
}

}  // namespace citysense::mqtt
