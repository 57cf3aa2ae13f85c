// What a Gill WindSonic frame or an NMEA MWV sentence says, once parsed, and the pieces both parsers
// share: units, status codes, fields, checksums. No port is involved, so the parsers can be tested and
// fuzzed on their own.
#pragma once

#include <citysense/Format.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace citysense::windsonic {

/// One wind measurement.
struct WindFrame {
    double speed = 0.0;               ///< m/s, converted from the units the frame gives
    std::optional<double> direction;  ///< degrees in [0, 360); none when the wind is too light for one
    bool fault = false;               ///< the sensor flags the measurement invalid (see status)
    std::string status;               ///< the status field as sent, e.g. "00", "04", "A", "V"
    std::string statusText;           ///< what the status means, e.g. "axis 1 and 2 failed"
};

enum class FrameProblem {
    None,
    Malformed,    ///< not a frame of the protocol, or a field that is not what it should be
    BadChecksum,  ///< well formed, but the checksum does not match: damaged on the line
};

/// What a parser made of one line: a frame, or the problem and a message saying what is wrong.
struct FrameParse {
    std::optional<WindFrame> frame;
    FrameProblem problem = FrameProblem::None;
    std::string error;
};

FrameParse malformed(std::string error);

/// A checksum mismatch, with both checksums in the message.
FrameParse badChecksum(std::uint8_t sent, std::uint8_t computed);

/// A frame the sensor flags invalid: its speed is NaN and it has no direction.
FrameParse faultFrame(std::string_view status, std::string statusText);

/// A frame of a valid measurement.
FrameParse validFrame(std::string_view status, double speed, std::optional<double> direction);

/// m/s per unit of a speed unit letter (Gill: M m/s, N knots, P mph, K km/h, F ft/min); none if unknown.
std::optional<double> metresPerSecondPer(std::string_view unit);

/// The meaning of a Gill status code ("00" OK, "01" axis 1 failed, ...); none for a code not in the
/// WindSonic manual (section 11.5).
std::optional<std::string> gillStatusText(std::string_view code);

/// A plain decimal number: digits with at most one '.', no sign, no exponent, at most 10 characters.
std::optional<double> parseDecimal(std::string_view text);

/// A wind direction in degrees: a decimal below 540 (the WindSonic's wrap-around mode goes past 359),
/// folded into [0, 360).
std::optional<double> parseDirection(std::string_view text);

/// The XOR of all bytes of `text`.
std::uint8_t xorOf(std::string_view text);

/// Two digits 0-9.
bool isTwoDigits(std::string_view text);

/// Two hex digits, either case; none for anything else.
std::optional<std::uint8_t> parseHexByte(std::string_view text);

/// `text` split at every comma (an empty text is one empty field).
std::vector<std::string_view> splitFields(std::string_view text);

/// `text` without the line end and other blanks at its end.
std::string_view withoutLineEnd(std::string_view text);

}  // namespace citysense::windsonic
