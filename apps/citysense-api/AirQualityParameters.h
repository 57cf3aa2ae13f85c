// The query parameters of citysense-api's air-quality resources (Aggregates, Compliance,
// AirQualityIndex) and of its CSV exports, read strictly: a parameter the resource does not know, or
// one given twice, is refused, never ignored. Every refusal is a ParameterError naming the parameter
// and what is wrong, which the service answers with a 400.
#pragma once

#include "airquality/Aggregates.h"
#include "airquality/LimitSets.h"

#include <citysense/Time.h>

#include <Poco/URI.h>

#include <initializer_list>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>

namespace citysense::api {

class ParameterError : public std::runtime_error {
public:
    /// "PARAMETER: MESSAGE"
    ParameterError(const std::string& parameter, const std::string& message)
        : ParameterError(parameter, parameter + ": " + message, 0) {}

    /// A parameter whose name is wrong: the name, cut to 100 bytes, and quoted in the message.
    static ParameterError unknown(const std::string& name, const std::string& message);

    const std::string& parameter() const { return _parameter; }

private:
    ParameterError(std::string parameter, const std::string& text, int)
        : std::runtime_error(text), _parameter(std::move(parameter)) {}

    std::string _parameter;
};

class AirQualityParameters {
public:
    /// Throws ParameterError for a parameter not among `known`, or given twice.
    AirQualityParameters(const Poco::URI::QueryParameters& parameters,
                         std::initializer_list<const char*> known);

    std::optional<std::string> text(const std::string& name) const;
    /// Throws ParameterError when the parameter is missing.
    std::string required(const std::string& name) const;
    /// An ISO 8601 time ("2025-11-24T16:00:00Z", an offset, up to six fraction digits) in the years
    /// 1970 to 8999; throws ParameterError when it is none.
    std::optional<Micros> time(const std::string& name) const;
    /// time(), and ParameterError when the parameter is missing.
    Micros requiredTime(const std::string& name) const;

private:
    std::map<std::string, std::string> _values;
};

/// "1h", "1d", "1mo", "1y"; throws ParameterError naming `interval`.
airquality::Period parsePeriod(const std::string& text);

/// "1h", "1d", "1mo", "1y".
const char* periodName(airquality::Period period);

/// A year from 1970 to `thisYear` ("2025"); throws ParameterError naming `year`.
int parseYear(const std::string& text, int thisYear);

/// A UTC month ("2025-03", 1970-01 to 8999-12): 00:00 on its first day; throws ParameterError naming
/// `month`.
Micros parseMonth(const std::string& text);

/// The limit set of that name ("2008/50/EC", "2024/2881"), the one in force when none is given; throws
/// ParameterError naming `limits`.
const airquality::LimitSet& parseLimitSet(const std::optional<std::string>& text);

/// Throws ParameterError naming `from` when `from` is not before `to`.
void requireOrdered(Micros from, Micros to);

}  // namespace citysense::api
