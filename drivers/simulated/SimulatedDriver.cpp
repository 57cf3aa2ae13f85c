// The simulated driver: plausible readings of any quantity, for demos and pipelines without hardware,
// and exact counting sequences for loss and ordering tests. One Generator per configured quantity makes
// the values; this file turns the options into generators and the generators' values into samples.

#include "Generator.h"
#include "Profile.h"

#include <citysense/Export.h>

#include <Poco/Logger.h>

#include <algorithm>
#include <limits>
#include <random>
#include <string>
#include <vector>

namespace citysense::simulated {

namespace {

bool contains(const std::vector<Quantity>& list, Quantity quantity) {
    return std::find(list.begin(), list.end(), quantity) != list.end();
}

std::vector<Quantity> configuredQuantities(const Options& options) {
    std::vector<Quantity> configured;
    for (const auto& name : options.getList("quantities")) {
        const Quantity quantity = *quantityByName(name);  // the table allows quantity names only
        if (contains(configured, quantity))
            throw OptionError("quantities", "'" + name + "' is listed twice");
        configured.push_back(quantity);
    }
    if (configured.empty())
        throw OptionError("quantities", "no quantity to simulate (known: " + quantityNames() + ")");
    return configured;
}

/// An override such as `humidity.mean` for a quantity the instance does not simulate is a mistake.
void rejectStrayOverrides(const OptionTable& table, const Options& options,
                          const std::vector<Quantity>& configured) {
    for (const Quantity quantity : options.scopedQuantities()) {
        if (contains(configured, quantity))
            continue;
        const std::string name = info(quantity).name;
        for (const auto& option : table) {
            const std::string key = name + "." + option.name;
            if (option.quantityScoped && options.has(key))
                throw OptionError(key, "'" + name + "' is not in quantities");
        }
    }
}

PatternSettings settingsFor(const Options& options, Quantity quantity) {
    const Profile& defaults = profile(quantity);
    auto number = [&](const char* key, double fallback) {
        return options.has(key, quantity) ? options.getNumber(key, quantity) : fallback;
    };
    PatternSettings settings;
    settings.pattern = patternByName(options.getString("pattern", quantity));
    settings.mean = number("mean", defaults.mean);
    settings.stddev = number("stddev", defaults.stddev);
    settings.step = number("step", settings.stddev / 10.0);
    settings.amplitude = number("amplitude", settings.stddev);
    settings.peakHour = options.getNumber("peak_hour", quantity);
    settings.start = options.getNumber("start", quantity);
    return settings;
}

}  // namespace

class SimulatedDriver : public Driver {
public:
    const OptionTable& options() const override {
        static const OptionTable table = {
            Option::list("quantities", "temperature",
                         "The quantities to simulate; every read gives one sample of each")
                .allowed(quantityNameList()),
            Option::choice("pattern", patternNames(), "normal",
                           "How values evolve: normal (mean + noise), random_walk (steps from the mean), "
                           "diurnal (a daily cycle), sequence (start, start+1, ... exactly)")
                .perQuantity(),
            Option::number("mean", "", "The centre of the values; unset: the quantity's own default")
                .perQuantity(),
            Option::number("stddev", "",
                           "The spread (standard deviation) of the values; unset: the quantity's own default")
                .atLeast(0)
                .perQuantity(),
            Option::number("step", "", "random_walk: the standard deviation of each step; unset: stddev/10")
                .atLeast(0)
                .perQuantity(),
            Option::number("amplitude", "", "diurnal: half the daily swing; unset: stddev")
                .atLeast(0)
                .perQuantity(),
            Option::number("peak_hour", "15", "diurnal: the UTC hour of the daily maximum")
                .range(0, 24)
                .perQuantity(),
            Option::number("start", "1", "sequence: the first value").perQuantity(),
            Option::integer("seed", "0",
                            "0: a new random seed every run; any other value: the same values every run"),
        };
        return table;
    }

    void configure(const Options& options) override {
        const std::vector<Quantity> configured = configuredQuantities(options);
        rejectStrayOverrides(this->options(), options, configured);
        const std::uint64_t seed = instanceSeed(options);
        _generators.clear();
        _generators.reserve(configured.size());
        for (const Quantity quantity : configured)
            _generators.emplace_back(quantity, settingsFor(options, quantity), seed);
    }

    std::vector<Channel> channels() const override {
        std::vector<Channel> channels;
        for (const auto& generator : _generators) {
            const QuantityInfo& row = info(generator.quantity());
            channels.push_back({row.quantity, row.physicalMin, row.physicalMax});
        }
        return channels;
    }

    void read(SampleBatch& out) override {
        const Micros now = nowMicros();
        for (auto& generator : _generators)
            out.push_back(makeSample(generator.quantity(), generator.next(now), now, QualitySimulated));
    }

private:
    /// The configured seed, or a random one that is logged so that a run can be repeated.
    std::uint64_t instanceSeed(const Options& options) const {
        const std::int64_t configured = options.getInt("seed");
        if (configured != 0)
            return static_cast<std::uint64_t>(configured);
        std::random_device device;
        const std::int64_t drawn = static_cast<std::int64_t>((std::uint64_t{device()} << 31) ^ device());
        logger().information("seed = " + std::to_string(drawn) + " (random): set it to repeat these values");
        return static_cast<std::uint64_t>(drawn);
    }

    std::vector<Generator> _generators;
};

}  // namespace citysense::simulated

using citysense::simulated::SimulatedDriver;

CITYSENSE_DRIVER(SimulatedDriver, "simulated", "1.0.0", "Simulated sensors for demos and tests")
