// The text of payloads: whitespace and numbers as JSON writes them (RFC 8259 §6), which tsv values
// use too.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace citysense::payload {

bool isSpace(char c);

/// `text` without leading and trailing spaces, tabs, CRs and LFs.
std::string_view trim(std::string_view text);

/// The length of the JSON number at the start of `text`, 0 if there is none.
std::size_t numberLength(std::string_view text);

/// The double a number's text (as numberLength() accepts it) stands for; false when it is beyond
/// the range of a double, or so small that it underflows.
bool toDouble(std::string_view number, double& value);

/// The shortest text that reads back as `value`; null for a NaN or infinity, which JSON lacks.
std::string formatJsonNumber(double value);

}  // namespace citysense::payload
