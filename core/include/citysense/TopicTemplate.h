// MQTT topic templates such as `{system}/{city}/{street}/{category}/{measurement}`: rendered for a
// sample by the publisher, matched back to a station and a quantity by the subscriber.
#pragma once

#include <citysense/Sample.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace citysense {

/// A template's levels are separated by '/'. A level is either literal text or exactly one
/// placeholder: {system}, {city}, {street}, {category}, {measurement} (the quantity's place in the
/// default tree, e.g. temperature/celcius) or {quantity} (its configuration name, e.g. temperature).
class TopicTemplate {
public:
    /// The deployed prototype's tree.
    static constexpr const char* kDefault = "{system}/{city}/{street}/{category}/{measurement}";

    /// Throws std::invalid_argument naming what is wrong: an unknown placeholder, a placeholder
    /// sharing its level with other text, an empty level, an MQTT wildcard (+ #), a leading '$', a
    /// template that does not name the quantity ({quantity}, or both {category} and {measurement})
    /// or a placeholder more than once.
    explicit TopicTemplate(std::string text);

    const std::string& text() const { return _text; }

    /// The topic of a sample of `quantity` from `station`.
    std::string render(const Station& station, Quantity quantity) const;

    /// A subscription filter covering every topic this template renders: placeholders become `+`,
    /// except that {system} becomes `system` when it is given (non-empty).
    std::string filter(const std::string& system = "") const;

    /// What a topic says: its station levels (those the template has; others stay empty) and quantity.
    struct Match {
        Station station;
        Quantity quantity;
    };

    /// Matches a received topic. Nothing, and `why` says what did not fit (`level 4 "temp" is not a
    /// category (known: ...)`, `3 levels, the template has 5`), when the topic is not one this
    /// template renders. Where two quantities share a place in the tree (wind_speed in m/s and in
    /// km/h) the first in the table is matched: the payload's unit tells them apart.
    std::optional<Match> match(std::string_view topic, std::string& why) const;

private:
    enum class Field { Literal, System, City, Street, Category, Measurement, Quantity };
    struct Level {
        Field field;
        std::string literal;
    };

    std::string _text;
    std::vector<Level> _levels;
};

}  // namespace citysense
