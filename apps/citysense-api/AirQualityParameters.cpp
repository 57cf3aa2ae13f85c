#include "AirQualityParameters.h"

#include "airquality/Calendar.h"

#include <citysense/Format.h>

#include <algorithm>
#include <array>

namespace citysense::api {

namespace {

constexpr std::array<std::pair<airquality::Period, const char*>, 4> kPeriods = {{
    {airquality::Period::Hour, "1h"},
    {airquality::Period::Day, "1d"},
    {airquality::Period::Month, "1mo"},
    {airquality::Period::Year, "1y"},
}};

// The years a time may name: the store's times from the Unix epoch, and a margin below the 9999 where
// MariaDB's DATETIME ends, so that whole periods around a time stay in it.
constexpr int kFirstYear = 1970;
constexpr int kLastYear = 8999;

}  // namespace

ParameterError ParameterError::unknown(const std::string& name, const std::string& message) {
    return ParameterError(name.substr(0, 100), quoteText(name) + ": " + message, 0);
}

AirQualityParameters::AirQualityParameters(const Poco::URI::QueryParameters& parameters,
                                           std::initializer_list<const char*> known) {
    for (const auto& parameter : parameters) {
        const std::string& name = parameter.first;
        const bool isKnown =
            std::any_of(known.begin(), known.end(), [&](const char* knownName) { return name == knownName; });
        if (!isKnown) {
            std::string names;
            for (const char* knownName : known)
                names += std::string(names.empty() ? "" : ", ") + knownName;
            throw ParameterError::unknown(name, names.empty() ? "this resource takes no parameters"
                                                              : "not a parameter here; it takes " + names);
        }
        if (!_values.emplace(name, parameter.second).second)
            throw ParameterError(name, "given twice");
    }
}

std::optional<std::string> AirQualityParameters::text(const std::string& name) const {
    const auto found = _values.find(name);
    return found == _values.end() ? std::nullopt : std::optional<std::string>(found->second);
}

std::string AirQualityParameters::required(const std::string& name) const {
    if (auto value = text(name))
        return *value;
    throw ParameterError(name, "missing");
}

std::optional<Micros> AirQualityParameters::time(const std::string& name) const {
    const auto value = text(name);
    if (!value)
        return std::nullopt;
    const auto parsed = parseIsoTime(*value);
    if (parsed &&
        (*parsed < airquality::yearStart(kFirstYear) || *parsed >= airquality::yearStart(kLastYear + 1)))
        throw ParameterError(name, quoteText(*value) + " is outside the years " + std::to_string(kFirstYear) +
                                       " to " + std::to_string(kLastYear));
    if (parsed)
        return parsed;
    throw ParameterError(name, quoteText(*value) +
                                   " is not an ISO 8601 time such as 2025-11-24T16:00:00Z (a Z or an offset "
                                   "such as +01:00 is required)");
}

Micros AirQualityParameters::requiredTime(const std::string& name) const {
    if (const auto value = time(name))
        return *value;
    throw ParameterError(name, "missing");
}

airquality::Period parsePeriod(const std::string& text) {
    for (const auto& [period, name] : kPeriods) {
        if (text == name)
            return period;
    }
    throw ParameterError("interval", quoteText(text) + " is not an interval: 1h, 1d, 1mo or 1y");
}

const char* periodName(airquality::Period period) {
    for (const auto& [known, name] : kPeriods) {
        if (known == period)
            return name;
    }
    return "?";
}

int parseYear(const std::string& text, int thisYear) {
    const bool digits = text.size() == 4 && std::all_of(text.begin(), text.end(),
                                                        [](unsigned char c) { return c >= '0' && c <= '9'; });
    const int year = digits ? std::stoi(text) : 0;
    if (year < kFirstYear || year > thisYear)
        throw ParameterError("year", quoteText(text) + " is not a year from " + std::to_string(kFirstYear) +
                                         " to this one (" + std::to_string(thisYear) + ")");
    return year;
}

Micros parseMonth(const std::string& text) {
    const bool shaped = text.size() == 7 && text[4] == '-' &&
                        std::all_of(text.begin(), text.end(),
                                    [&](const char& c) { return &c == &text[4] || (c >= '0' && c <= '9'); });
    const int year = shaped ? std::stoi(text.substr(0, 4)) : 0;
    const int month = shaped ? std::stoi(text.substr(5, 2)) : 0;
    if (year < kFirstYear || year > kLastYear || month < 1 || month > 12)
        throw ParameterError("month", quoteText(text) + " is not a month YYYY-MM from " +
                                          std::to_string(kFirstYear) + "-01 to " + std::to_string(kLastYear) +
                                          "-12");
    Micros start = airquality::yearStart(year);
    for (int at = 1; at < month; ++at)
        start = airquality::nextMonthStart(start);
    return start;
}

const airquality::LimitSet& parseLimitSet(const std::optional<std::string>& text) {
    if (!text)
        return airquality::limitSets().front();
    if (const auto* set = airquality::limitSetByName(*text))
        return *set;
    std::string names;
    for (const auto& set : airquality::limitSets())
        names += (names.empty() ? "" : ", ") + set.name;
    throw ParameterError("limits", quoteText(*text) + " is not a limit set: " + names);
}

void requireOrdered(Micros from, Micros to) {
    if (from >= to)
        throw ParameterError("from", formatIsoTime(from) + " is not before to (" + formatIsoTime(to) + ")");
}

}  // namespace citysense::api
