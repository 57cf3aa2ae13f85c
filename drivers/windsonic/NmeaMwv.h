// An NMEA 0183 MWV sentence (wind speed and angle), as the WindSonic sends it in its NMEA formats
// (WindSonic manual, sections 9.4 and 9.5) and as NMEA 0183 defines it:
//
//   $IIMWV,017,R,02.91,N,A*2F<CR><LF>
//
// talker and sentence (any talker: II, WI, ...), angle (degrees), reference (R relative, T true),
// speed, units, status (A valid, V void; or a Gill status code such as 00 in the WindSonic's "Gill
// status codes" formats), and after '*' the checksum: two hex digits, the XOR of the characters
// between '$' and '*'.
#pragma once

#include "WindFrame.h"

#include <string_view>

namespace citysense::windsonic {

/// Parses one line holding a sentence; bytes before its '$' (line noise) are ignored. A sentence with
/// status V (or a Gill status other than 00) is a fault: its speed is NaN and it has no direction.
/// Any input gives a result: it never throws (but std::bad_alloc) and never reads outside `line`.
FrameParse parseMwvSentence(std::string_view line);

}  // namespace citysense::windsonic
