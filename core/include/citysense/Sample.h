// A reading and where it came from.
#pragma once

#include <citysense/Quantity.h>
#include <citysense/Time.h>

#include <cstdint>
#include <string>
#include <vector>

namespace citysense {

/// Where a station stands: the topic prefix `system/city/street` and, optionally, its position.
struct Station {
    std::string system;
    std::string city;
    std::string street;
    double latitude = 0.0;
    double longitude = 0.0;
    bool hasPosition = false;

    /// Stations are identified by their topic prefix; the position is not part of the identity.
    bool operator<(const Station& other) const;
};

/// The longest system, city, street or instance name, in characters (UTF-8 code points): the readings
/// store's name columns hold no more, and a longer name would be cut there and merge with another.
constexpr std::size_t kMaxNameCharacters = 255;

/// "street is 300 characters long, longer than the 255 a name may have"; empty when `name` fits.
std::string nameLengthProblem(const std::string& what, const std::string& name);

/// The problem of the first of the station's three names that does not fit; empty when all fit.
std::string stationNameProblem(const Station& station);

/// The station and the instance (e.g. "driver.air") a sample came from. Sources are interned: the
/// same pair always yields the same pointer, valid until the process exits, so samples can carry a
/// pointer instead of strings.
struct Source {
    Station station;
    std::string instance;

    static const Source* intern(const Station& station, const std::string& instance);
};

/// Quality flags of a sample; a bit set, zero means ok.
enum Quality : std::uint16_t {
    QualityOk = 0,
    QualityOutOfRange = 1 << 0,
    QualitySensorFault = 1 << 1,
    QualityWarmingUp = 1 << 2,
    QualitySimulated = 1 << 3,
    QualityClockUnsynchronised = 1 << 4,
    /// An aggregate over less than its period: a window cut short by a stop (ABI 1.2).
    QualityPartial = 1 << 5,
};

/// The names of the flags set in `quality` ("ok" when none), e.g. {"out_of_range", "simulated"}.
std::vector<std::string> qualityNames(std::uint16_t quality);

struct Sample {
    Quantity quantity;
    std::uint16_t quality = QualityOk;
    double value = 0.0;
    Micros time = 0;
    const Source* source = nullptr;
};

using SampleBatch = std::vector<Sample>;

}  // namespace citysense
