#include "PageOptions.h"

#include <citysense/Format.h>

#include <algorithm>
#include <cctype>

namespace citysense::api {

PageOptions parsePageOptions(const Poco::URI::QueryParameters& parameters) {
    PageOptions options;
    bool topSeen = false;
    for (const auto& [name, value] : parameters) {
        if ((name == "$top" && topSeen) || (name == "$skiptoken" && options.skipToken))
            throw BadOption(name + ": given twice");
        if (name == "$top") {
            topSeen = true;
            const bool digits =
                !value.empty() && value.size() <= 9 &&
                std::all_of(value.begin(), value.end(), [](unsigned char c) { return std::isdigit(c); });
            if (!digits)
                throw BadOption("$top: " + quoteText(value) + " is not a whole number of at least 0");
            options.top = std::min<std::size_t>(std::stoul(value), PageOptions::kMostTop);
        } else if (name == "$skiptoken") {
            options.skipToken = value;
        } else {
            throw BadOption(quoteText(name) + ": this query option is not supported (yet); supported: $top");
        }
    }
    return options;
}

}  // namespace citysense::api
