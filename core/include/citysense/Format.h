// Text forms of a sample shared by sinks: the prototype's console line and one-object JSON.
#pragma once

#include <citysense/Sample.h>

#include <string>
#include <string_view>

namespace citysense {

/// The shortest decimal text that reads back as the same double ("28.91", "1e-05").
std::string formatNumber(double value);

/// The value with a fixed number of decimals ("28.91" for precision 2).
std::string formatFixed(double value, int precision);

/// The deployed prototype subscriber's line (tab separated, no newline):
/// System: hypo_city  City: city_01  Street: street_01  SensorType: temperature  DataType: celcius
/// SensorData: 28.91  TimeStamp: 2026-11-24 10:00:00.123456
std::string formatSeedLine(const Sample& sample, int precision);

/// One JSON object (no newline): station, quantity, unit, value, ISO timestamp, quality, source.
std::string formatJsonLine(const Sample& sample);

/// `text` as a JSON string literal, quotes included.
std::string jsonString(const std::string& text);

/// `text` quoted for a log line or an error message: quotes, backslashes, control and non-ASCII bytes
/// escaped (\r, \n, \t, \xhh), cut with "..." after `limit` bytes. For echoing what a device sent.
std::string quoteText(std::string_view text, std::size_t limit = 80);

}  // namespace citysense
