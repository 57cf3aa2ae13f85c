// The values of one simulated quantity, read after read, following one of the patterns of the
// `pattern` option.
#pragma once

#include <citysense/Quantity.h>
#include <citysense/Time.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace citysense::simulated {

enum class Pattern { Normal, RandomWalk, Diurnal, Sequence };

/// The configuration names of the patterns, in enum order.
const std::vector<std::string>& patternNames();

/// The pattern a configuration name (one of patternNames()) stands for.
Pattern patternByName(const std::string& name);

struct PatternSettings {
    Pattern pattern = Pattern::Normal;
    double mean = 0.0;
    double stddev = 0.0;
    double step = 0.0;       ///< random_walk: standard deviation of each step
    double amplitude = 0.0;  ///< diurnal: half the daily swing
    double peakHour = 15.0;  ///< diurnal: UTC hour of the maximum
    double start = 1.0;      ///< sequence: the first value
};

/// SplitMix64 (Steele, Lea and Flood, 2014): 8 bytes of state where std::mt19937_64 keeps 2.5 KB, so
/// that a gateway simulating dozens of quantities does not spend its heap on random engines; good
/// enough for sensor noise, not for anything secret.
class SplitMix64 {
public:
    using result_type = std::uint64_t;

    explicit SplitMix64(std::uint64_t seed) : _state(seed) {}

    static constexpr result_type min() { return 0; }
    static constexpr result_type max() { return ~result_type{0}; }

    result_type operator()() {
        std::uint64_t z = (_state += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }

private:
    std::uint64_t _state;
};

class Generator {
public:
    /// Generators of the same quantity, settings and seed produce the same values; the quantity is
    /// mixed into the seed, so the quantities of one instance are independent of each other.
    Generator(Quantity quantity, const PatternSettings& settings, std::uint64_t seed);

    Quantity quantity() const { return _quantity; }

    /// The value of a reading taken at `time`: kept physical (see keepPhysical()), except that a
    /// sequence counts exactly.
    double next(Micros time);

private:
    double noise(double stddev);

    Quantity _quantity;
    PatternSettings _settings;
    SplitMix64 _random;
    std::normal_distribution<double> _standardNormal;
    double _walk;
    std::uint64_t _count = 0;
};

}  // namespace citysense::simulated
