#include "AnnouncementTopic.h"

#include <stdexcept>

namespace citysense::mqtt {

namespace {

std::vector<std::string_view> levelsOf(std::string_view text) {
    std::vector<std::string_view> levels;
    for (std::size_t start = 0;;) {
        const std::size_t end = text.find('/', start);
        levels.push_back(text.substr(start, end == std::string_view::npos ? end : end - start));
        if (end == std::string_view::npos)
            return levels;
        start = end + 1;
    }
}

}  // namespace

AnnouncementTopic::AnnouncementTopic(const std::string& text) {
    int seen[4] = {0, 0, 0, 0};
    for (const std::string_view level : levelsOf(text)) {
        if (level.empty())
            throw std::invalid_argument("'" + text + "' has an empty level");
        if (level.find_first_of("+#") != std::string_view::npos)
            throw std::invalid_argument("'" + text +
                                        "' has a wildcard (+ #): it names one topic per station");
        Field field = Field::Literal;
        if (level == "{system}")
            field = Field::System;
        else if (level == "{city}")
            field = Field::City;
        else if (level == "{street}")
            field = Field::Street;
        else if (level.find_first_of("{}") != std::string_view::npos)
            throw std::invalid_argument("'" + text + "': level '" + std::string(level) +
                                        "' is not literal text, {system}, {city} or {street}");
        ++seen[static_cast<int>(field)];
        _levels.push_back({field, field == Field::Literal ? std::string(level) : std::string()});
    }
    for (const auto& [field, name] : {std::pair{Field::System, "{system}"}, std::pair{Field::City, "{city}"},
                                      std::pair{Field::Street, "{street}"}})
        if (seen[static_cast<int>(field)] != 1)
            throw std::invalid_argument("'" + text + "' must name " + name + " once");
}

std::string AnnouncementTopic::filter(const std::string& system) const {
    std::string text;
    for (const Level& level : _levels) {
        if (!text.empty())
            text += '/';
        if (level.field == Field::Literal)
            text += level.literal;
        else if (level.field == Field::System && !system.empty())
            text += system;
        else
            text += '+';
    }
    return text;
}

std::optional<Station> AnnouncementTopic::match(std::string_view topic) const {
    const std::vector<std::string_view> levels = levelsOf(topic);
    if (levels.size() != _levels.size())
        return std::nullopt;
    Station station;
    for (std::size_t i = 0; i < levels.size(); ++i) {
        const std::string value(levels[i]);
        switch (_levels[i].field) {
            case Field::Literal:
                if (value != _levels[i].literal)
                    return std::nullopt;
                break;
            case Field::System:
                station.system = value;
                break;
            case Field::City:
                station.city = value;
                break;
            case Field::Street:
                station.street = value;
                break;
        }
    }
    if (station.system.empty() || station.city.empty() || station.street.empty())
        return std::nullopt;
    return station;
}

}  // namespace citysense::mqtt
