#include <citysense/TopicTemplate.h>

#include <citysense/Format.h>

#include <algorithm>
#include <stdexcept>

namespace citysense {

namespace {

std::vector<std::string_view> splitLevels(std::string_view text) {
    std::vector<std::string_view> levels;
    for (;;) {
        const auto slash = text.find('/');
        levels.push_back(text.substr(0, slash));
        if (slash == std::string_view::npos)
            return levels;
        text.remove_prefix(slash + 1);
    }
}

std::string levelText(std::size_t index, std::string_view text) {
    return "level " + std::to_string(index + 1) + " " + quoteText(text, 40);
}

std::string join(const std::vector<std::string>& words) {
    std::string text;
    for (const auto& word : words)
        text += (text.empty() ? "" : ", ") + word;
    return text;
}

std::vector<std::string> categories() {
    std::vector<std::string> names;
    for (const auto& row : quantities()) {
        if (std::find(names.begin(), names.end(), row.category) == names.end())
            names.emplace_back(row.category);
    }
    return names;
}

std::vector<std::string> measurementsOf(std::string_view category) {
    std::vector<std::string> names;
    for (const auto& row : quantities()) {
        if (row.category == category && std::find(names.begin(), names.end(), row.measurement) == names.end())
            names.emplace_back(row.measurement);
    }
    return names;
}

}  // namespace

TopicTemplate::TopicTemplate(std::string text) : _text(std::move(text)) {
    static const std::pair<std::string_view, Field> placeholders[] = {
        {"{system}", Field::System},           {"{city}", Field::City},
        {"{street}", Field::Street},           {"{category}", Field::Category},
        {"{measurement}", Field::Measurement}, {"{quantity}", Field::Quantity},
    };
    const auto invalid = [this](const std::string& problem) {
        return std::invalid_argument("topic template " + quoteText(_text) + ": " + problem);
    };
    if (_text.empty())
        throw invalid("is empty");
    if (_text.front() == '$')
        throw invalid("starts with '$', which MQTT keeps for the broker's own topics");

    const auto levels = splitLevels(_text);
    for (std::size_t i = 0; i < levels.size(); ++i) {
        const std::string_view level = levels[i];
        const std::string where = "level " + std::to_string(i + 1);
        if (level.empty())
            throw invalid(where + " is empty");
        if (level.find_first_of("+#") != std::string_view::npos)
            throw invalid(where + " " + quoteText(level) + " has an MQTT wildcard (+ or #)");
        if (level.find('\0') != std::string_view::npos)
            throw invalid(where + " has a NUL character");
        if (level.find_first_of("{}") == std::string_view::npos) {
            _levels.push_back({Field::Literal, std::string(level)});
            continue;
        }
        const auto found = std::find_if(std::begin(placeholders), std::end(placeholders),
                                        [&](const auto& placeholder) { return placeholder.first == level; });
        if (found == std::end(placeholders)) {
            const bool wholeLevel = level.front() == '{' && level.back() == '}' &&
                                    level.find_first_of("{}", 1) == level.size() - 1;
            if (!wholeLevel)
                throw invalid(where + " " + quoteText(level) +
                              " mixes a placeholder with other text (a placeholder is a whole level)");
            std::string known;
            for (const auto& placeholder : placeholders)
                known += (known.empty() ? "" : ", ") + std::string(placeholder.first);
            throw invalid("unknown placeholder " + std::string(level) + " (known: " + known + ")");
        }
        const bool repeated = std::any_of(_levels.begin(), _levels.end(),
                                          [&](const Level& other) { return other.field == found->second; });
        if (repeated)
            throw invalid(std::string(found->first) + " appears more than once");
        _levels.push_back({found->second, ""});
    }

    const auto has = [this](Field field) {
        return std::any_of(_levels.begin(), _levels.end(),
                           [&](const Level& level) { return level.field == field; });
    };
    if (!has(Field::Quantity) && !(has(Field::Category) && has(Field::Measurement)))
        throw invalid("does not name the quantity: it needs {quantity}, or {category} and {measurement}");
}

std::string TopicTemplate::render(const Station& station, Quantity quantity) const {
    const QuantityInfo& row = info(quantity);
    std::string topic;
    for (const auto& level : _levels) {
        if (&level != &_levels.front())
            topic += '/';
        switch (level.field) {
            case Field::Literal:
                topic += level.literal;
                break;
            case Field::System:
                topic += station.system;
                break;
            case Field::City:
                topic += station.city;
                break;
            case Field::Street:
                topic += station.street;
                break;
            case Field::Category:
                topic += row.category;
                break;
            case Field::Measurement:
                topic += row.measurement;
                break;
            case Field::Quantity:
                topic += row.name;
                break;
        }
    }
    return topic;
}

std::string TopicTemplate::filter(const std::string& system) const {
    std::string filter;
    for (const auto& level : _levels) {
        if (&level != &_levels.front())
            filter += '/';
        if (level.field == Field::Literal)
            filter += level.literal;
        else if (level.field == Field::System && !system.empty())
            filter += system;
        else
            filter += '+';
    }
    return filter;
}

std::optional<TopicTemplate::Match> TopicTemplate::match(std::string_view topic, std::string& why) const {
    const auto levels = splitLevels(topic);
    if (levels.size() != _levels.size()) {
        why = std::to_string(levels.size()) + (levels.size() == 1 ? " level" : " levels") +
              ", the template has " + std::to_string(_levels.size());
        return std::nullopt;
    }
    Match result{Station{}, Quantity::Temperature};
    std::optional<std::size_t> category;
    std::optional<std::size_t> measurement;
    std::optional<Quantity> named;
    for (std::size_t i = 0; i < levels.size(); ++i) {
        const std::string_view text = levels[i];
        const Level& level = _levels[i];
        if (level.field == Field::Literal) {
            if (text != level.literal) {
                why = levelText(i, text) + " is not " + quoteText(level.literal, 40);
                return std::nullopt;
            }
            continue;
        }
        if (text.empty()) {
            why = "level " + std::to_string(i + 1) + " is empty";
            return std::nullopt;
        }
        switch (level.field) {
            case Field::System:
                result.station.system = std::string(text);
                break;
            case Field::City:
                result.station.city = std::string(text);
                break;
            case Field::Street:
                result.station.street = std::string(text);
                break;
            case Field::Category:
                category = i;
                break;
            case Field::Measurement:
                measurement = i;
                break;
            case Field::Quantity:
                named = quantityByName(std::string(text));
                if (!named) {
                    why = levelText(i, text) + " is not a quantity (known: " + quantityNames() + ")";
                    return std::nullopt;
                }
                break;
            case Field::Literal:
                break;
        }
    }

    if (category) {
        const auto known = categories();
        if (std::find(known.begin(), known.end(), levels[*category]) == known.end()) {
            why = levelText(*category, levels[*category]) + " is not a category (known: " + join(known) + ")";
            return std::nullopt;
        }
    }
    if (named) {
        // {quantity} decides; {category} and {measurement}, if the template has them too, must agree.
        const QuantityInfo& row = info(*named);
        if (category && levels[*category] != row.category) {
            why = levelText(*category, levels[*category]) + " is not the category of " + row.name + " (" +
                  row.category + ")";
            return std::nullopt;
        }
        if (measurement && levels[*measurement] != row.measurement) {
            why = levelText(*measurement, levels[*measurement]) + " is not the measurement of " + row.name +
                  " (" + row.measurement + ")";
            return std::nullopt;
        }
        result.quantity = *named;
        return result;
    }
    // The first row of the table wins where two share a place (wind_speed in m/s and in km/h).
    for (const auto& row : quantities()) {
        if (levels[*category] == row.category && levels[*measurement] == row.measurement) {
            result.quantity = row.quantity;
            return result;
        }
    }
    why = levelText(*measurement, levels[*measurement]) + " is not a measurement of " +
          std::string(levels[*category]) + " (known: " + join(measurementsOf(levels[*category])) + ")";
    return std::nullopt;
}

}  // namespace citysense
