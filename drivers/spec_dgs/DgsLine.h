// One answer of a SPEC Sensors DGS digital gas module (968-xxx), parsed without a port, so that it can
// be tested and fuzzed on its own.
//
// Sent "\r", the module answers one line of eleven integers separated by ", " and ended by "\r\n":
//   serial, ppb, T (°C), RH (%), raw sensor, raw temperature, raw humidity, days, hours, minutes, seconds
//   012345678901, 123, 25, 45, 30000, 26000, 29000, 00, 01, 02, 03
// The last four are the time since the module was powered. The layout is the one SPEC's Arduino
// library for the module reads, field by field (DGS.cpp, getData()).
#pragma once

#include <citysense/Format.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace citysense::spec_dgs {

struct DgsReading {
    std::string serial;            ///< the module's serial number as sent, leading zeros kept
    std::int64_t ppb = 0;          ///< the gas concentration; negative near zero is possible (zero drift)
    std::int64_t temperature = 0;  ///< °C, the module's own sensor
    std::int64_t humidity = 0;     ///< %RH, the module's own sensor
    std::int64_t rawSensor = 0;
    std::int64_t rawTemperature = 0;
    std::int64_t rawHumidity = 0;
    std::int64_t days = 0;  ///< time since power-on: days, hours (0-23), minutes and seconds (0-59)
    std::int64_t hours = 0;
    std::int64_t minutes = 0;
    std::int64_t seconds = 0;

    /// The time since power-on in seconds.
    std::int64_t uptimeSeconds() const;
};

/// What parseDgsLine() made of a line: a reading, or why there is none.
struct DgsParse {
    std::optional<DgsReading> reading;
    std::string error;  ///< set when there is no reading, e.g. "field 2 (ppb) \"12a\" is not an integer"
};

/// Parses one answer line, with or without its line end. Spaces and tabs around fields are ignored.
/// Any input gives a result: it never throws (but std::bad_alloc) and never reads outside `line`.
DgsParse parseDgsLine(std::string_view line);

}  // namespace citysense::spec_dgs
