#include "DgsLine.h"

#include <charconv>
#include <iterator>
#include <vector>

namespace citysense::spec_dgs {

namespace {

/// The fields after the serial number, in the order the module sends them. The time since power-on
/// has bounds: no checksum protects the line, and an impossible time is the one check against noise.
struct IntegerField {
    const char* name;
    std::int64_t DgsReading::*member;
    std::optional<std::int64_t> max;  ///< set: the value must be in [0, max]
};

const IntegerField kIntegerFields[] = {
    {"ppb", &DgsReading::ppb, std::nullopt},
    {"temperature", &DgsReading::temperature, std::nullopt},
    {"humidity", &DgsReading::humidity, std::nullopt},
    {"raw sensor", &DgsReading::rawSensor, std::nullopt},
    {"raw temperature", &DgsReading::rawTemperature, std::nullopt},
    {"raw humidity", &DgsReading::rawHumidity, std::nullopt},
    {"days", &DgsReading::days, 1000000},
    {"hours", &DgsReading::hours, 23},
    {"minutes", &DgsReading::minutes, 59},
    {"seconds", &DgsReading::seconds, 59},
};

constexpr std::size_t kFieldCount = 1 + std::size(kIntegerFields);
constexpr std::size_t kMaxSerialDigits = 20;

bool isBlank(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

std::string_view trimmed(std::string_view text) {
    while (!text.empty() && isBlank(text.front()))
        text.remove_prefix(1);
    while (!text.empty() && isBlank(text.back()))
        text.remove_suffix(1);
    return text;
}

std::vector<std::string_view> splitFields(std::string_view line) {
    std::vector<std::string_view> fields;
    for (;;) {
        const std::size_t comma = line.find(',');
        fields.push_back(trimmed(line.substr(0, comma)));
        if (comma == std::string_view::npos)
            return fields;
        line.remove_prefix(comma + 1);
    }
}

/// "field 2 (ppb)": fields count from 1, as a reader of the line counts them.
std::string fieldName(std::size_t number, const char* name) {
    return "field " + std::to_string(number) + " (" + name + ")";
}

/// Why `text` is not a serial number; nothing if it is one.
std::optional<std::string> serialProblem(std::string_view text) {
    const std::string field = fieldName(1, "serial");
    if (text.empty())
        return field + " is empty";
    if (text.size() > kMaxSerialDigits)
        return field + " " + quoteText(text) + " is longer than " + std::to_string(kMaxSerialDigits) +
               " digits";
    for (const char c : text) {
        if (c < '0' || c > '9')
            return field + " " + quoteText(text) + " is not a number of digits";
    }
    return std::nullopt;
}

/// Reads field `number` into `value`; why it cannot, if it cannot.
std::optional<std::string> integerProblem(std::string_view text, std::size_t number,
                                          const IntegerField& field, std::int64_t& value) {
    const std::string name = fieldName(number, field.name);
    if (text.empty())
        return name + " is empty";
    const char* end = text.data() + text.size();
    const auto [stop, error] = std::from_chars(text.data(), end, value);
    if (error == std::errc::result_out_of_range)
        return name + " " + quoteText(text) + " is out of range";
    if (error != std::errc() || stop != end)
        return name + " " + quoteText(text) + " is not an integer";
    if (field.max && (value < 0 || value > *field.max))
        return name + " " + std::to_string(value) + " is not between 0 and " + std::to_string(*field.max);
    return std::nullopt;
}

DgsParse failure(std::string error) {
    return {std::nullopt, std::move(error)};
}

}  // namespace

std::int64_t DgsReading::uptimeSeconds() const {
    return ((days * 24 + hours) * 60 + minutes) * 60 + seconds;
}

DgsParse parseDgsLine(std::string_view line) {
    line = trimmed(line);
    if (line.empty())
        return failure("empty line");
    const std::vector<std::string_view> fields = splitFields(line);
    if (fields.size() != kFieldCount)
        return failure(std::to_string(kFieldCount) + " fields expected, " + std::to_string(fields.size()) +
                       " found");
    if (auto problem = serialProblem(fields[0]))
        return failure(std::move(*problem));

    DgsReading reading;
    reading.serial = std::string(fields[0]);
    for (std::size_t i = 0; i < std::size(kIntegerFields); ++i) {
        const IntegerField& field = kIntegerFields[i];
        if (auto problem = integerProblem(fields[i + 1], i + 2, field, reading.*field.member))
            return failure(std::move(*problem));
    }
    return {std::move(reading), {}};
}

}  // namespace citysense::spec_dgs
