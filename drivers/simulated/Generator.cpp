#include "Generator.h"

#include "Profile.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace citysense::simulated {

namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr Micros kMicrosPerHour = 3600 * kMicrosPerSecond;
constexpr Micros kMicrosPerDay = 24 * kMicrosPerHour;

/// The UTC hour of day of `time`, with its fraction: 13.5 is half past one in the afternoon.
double hourOfDay(Micros time) {
    Micros sinceMidnight = time % kMicrosPerDay;
    if (sinceMidnight < 0)
        sinceMidnight += kMicrosPerDay;
    return static_cast<double>(sinceMidnight) / static_cast<double>(kMicrosPerHour);
}

/// The seed of one quantity's engine: the instance's seed and the quantity, mixed through one SplitMix64
/// step so that neighbouring seeds and quantities start far apart.
std::uint64_t mixedSeed(std::uint64_t seed, Quantity quantity) {
    return SplitMix64(seed ^ (static_cast<std::uint64_t>(quantity) << 56))();
}

}  // namespace

const std::vector<std::string>& patternNames() {
    static const std::vector<std::string> names = {"normal", "random_walk", "diurnal", "sequence"};
    return names;
}

Pattern patternByName(const std::string& name) {
    const auto& names = patternNames();
    const auto found = std::find(names.begin(), names.end(), name);
    if (found == names.end())
        throw std::invalid_argument("'" + name + "' is not a pattern");
    return static_cast<Pattern>(found - names.begin());
}

Generator::Generator(Quantity quantity, const PatternSettings& settings, std::uint64_t seed)
    : _quantity(quantity), _settings(settings), _random(mixedSeed(seed, quantity)), _walk(settings.mean) {}

double Generator::noise(double stddev) {
    return stddev * _standardNormal(_random);
}

double Generator::next(Micros time) {
    const PatternSettings& settings = _settings;
    switch (settings.pattern) {
        case Pattern::Normal:
            return keepPhysical(_quantity, settings.mean + noise(settings.stddev));
        case Pattern::RandomWalk:
            _walk = keepPhysical(_quantity, _walk + noise(settings.step));
            return _walk;
        case Pattern::Diurnal: {
            const double phase = 2.0 * kPi * (hourOfDay(time) - settings.peakHour) / 24.0;
            return keepPhysical(_quantity, settings.mean + settings.amplitude * std::cos(phase) +
                                               noise(settings.stddev / 10.0));
        }
        case Pattern::Sequence:
            return settings.start + static_cast<double>(_count++);
    }
    throw std::logic_error("unhandled pattern");
}

}  // namespace citysense::simulated
