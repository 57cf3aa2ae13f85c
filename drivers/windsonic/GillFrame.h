// A Gill WindSonic frame in the default "Gill, Polar, Continuous" format (WindSonic manual, section 9.1):
//
//   <STX>Q,229,002.74,M,00,<ETX>16<CR><LF>
//
// node address (a letter, Q by default), direction (degrees, empty below 0.05 m/s), speed, units,
// status, and after <ETX> the checksum: two hex digits, the XOR of the bytes between <STX> and <ETX>.
#pragma once

#include "WindFrame.h"

#include <string_view>

namespace citysense::windsonic {

constexpr char kStx = '\x02';
constexpr char kEtx = '\x03';

/// Parses one line holding a frame; bytes before the frame's <STX> (line noise) are ignored. A frame
/// whose status is not 00 is a fault: its speed is NaN and it has no direction, whatever its fields
/// say (a WindSonic pads failed measurements with 9s). Any input gives a result: it never throws (but
/// std::bad_alloc) and never reads outside `line`.
FrameParse parseGillFrame(std::string_view line);

}  // namespace citysense::windsonic
