// Where gateways announce themselves (the mqtt sink's announce_topic, `{system}/{city}/{street}/about`
// by default): a template of literal levels and {system}, {city} and {street} once each, turned into
// the subscription filter and matched back to the station a received topic belongs to.
#pragma once

#include <citysense/Sample.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace citysense::mqtt {

class AnnouncementTopic {
public:
    static constexpr const char* kDefault = "{system}/{city}/{street}/about";

    /// Throws std::invalid_argument naming what is wrong: an empty level, a wildcard (+ #), a level
    /// mixing a placeholder with text, an unknown placeholder, or one of the three missing or twice.
    explicit AnnouncementTopic(const std::string& text);

    /// The filter that covers every station's topic: {city} and {street} become `+`, {system} becomes
    /// `system` (or `+` when empty).
    std::string filter(const std::string& system) const;

    /// The station whose announcement `topic` carries; nothing when the topic is not one of this template.
    std::optional<Station> match(std::string_view topic) const;

private:
    enum class Field { Literal, System, City, Street };
    struct Level {
        Field field;
        std::string literal;
    };
    std::vector<Level> _levels;
};

}  // namespace citysense::mqtt
