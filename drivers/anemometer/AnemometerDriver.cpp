// The cup anemometer driver. The cups turn a magnet past a reed switch that closes once per
// revolution (SparkFun weather meter kit: 2.4 km/h per closure per second; Davis 6410: 2.25 mph);
// the switch pulls a GPIO line low, so every closure is an edge. The driver counts the edges, drops
// contact bounce by their timestamps, and at the end of every period reports the mean speed and the
// gust, the highest mean over any 3 seconds of the period (the WMO definition of a gust).
//
// All timing is on the edge source's clock (CLOCK_MONOTONIC for a Linux line, a virtual clock in
// tests), never on the wall clock; period ends are mapped to UTC once, when run() starts.

#include <citysense/Export.h>
#include <citysense/bus/Gpio.h>

#include <Poco/Logger.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace citysense::anemometer {

namespace {

/// WMO: a gust is the highest 3-second mean of the wind speed.
constexpr Micros kGustWindow = 3 * kMicrosPerSecond;

/// The longest the driver waits for an edge: a stop request is seen within this time.
constexpr Micros kLongestWait = kMicrosPerSecond / 2;

/// A unit of the `factor` option, in metres per second.
struct SpeedUnit {
    const char* name;
    double metresPerSecond;
};

const std::vector<SpeedUnit>& speedUnits() {
    static const std::vector<SpeedUnit> units = {
        {"km/h", 1000.0 / 3600.0},
        {"m/s", 1.0},
        {"mph", 1609.344 / 3600.0},  // the international mile: 1609.344 m
    };
    return units;
}

std::vector<std::string> speedUnitNames() {
    std::vector<std::string> names;
    for (const auto& unit : speedUnits())
        names.emplace_back(unit.name);
    return names;
}

double metresPerSecond(const std::string& unitName) {
    for (const auto& unit : speedUnits()) {
        if (unitName == unit.name)
            return unit.metresPerSecond;
    }
    throw std::logic_error("unknown speed unit " + unitName);  // the option table allows the names only
}

Bias biasByName(const std::string& name) {
    if (name == "pull_up")
        return Bias::PullUp;
    if (name == "pull_down")
        return Bias::PullDown;
    return Bias::AsIs;
}

/// The most of a period's pulses (sorted) in any window [t, t + width) within the period. Moving a
/// window's start forward to the next pulse never loses a pulse, so only windows starting at a pulse
/// need counting; one that then reaches past the period's end holds no more than the period's last
/// full window. Two indices sweep all of them in one pass.
std::size_t busiestWindow(const std::vector<Micros>& pulses, Micros width) {
    std::size_t most = 0;
    std::size_t past = 0;
    for (std::size_t first = 0; first < pulses.size(); ++first) {
        while (past < pulses.size() && pulses[past] < pulses[first] + width)
            ++past;
        most = std::max(most, past - first);
    }
    return most;
}

}  // namespace

class AnemometerDriver : public Driver {
public:
    const OptionTable& options() const override {
        static const OptionTable table = {
            Option::string("chip", "gpiochip0",
                           "GPIO chip: label (pinctrl-bcm2711), name (gpiochip0), path or number"),
            Option::string("line", "", "GPIO line of the reed switch: offset (17) or line name (GPIO17)")
                .mandatory(),
            Option::choice("edge", {"falling", "rising"}, "falling",
                           "The edge counted as one pulse: falling when the switch pulls the line low"),
            Option::choice("bias", {"as_is", "pull_up", "pull_down"}, "pull_up",
                           "The line's internal bias: pull_up for a switch to ground"),
            Option::number("factor", "2.4",
                           "Wind speed for one pulse per second, in factor_unit (SparkFun 2.4 km/h, "
                           "Davis 6410 2.25 mph)")
                .atLeast(0),
            Option::choice("factor_unit", speedUnitNames(), "km/h", "The unit of factor"),
            Option::duration(
                "debounce", "5ms",
                "An edge closer than this to the last counted edge is contact bounce, not a pulse")
                .range(0, 1),
            Option::duration("period", "10s", "Time over which each reported mean speed and gust are taken")
                .range(3, 86400),
        };
        return table;
    }

    void configure(const Options& options) override {
        const double factor = options.getNumber("factor");
        if (factor <= 0)
            throw OptionError("factor", "must be greater than 0");
        _spec.chip = options.getString("chip");
        _spec.line = options.getString("line");
        if (_spec.line.empty())
            throw OptionError("line", "is empty: give a line offset or a line name");
        _countRising = options.getString("edge") == "rising";
        _spec.edges = _countRising ? Edges::Rising : Edges::Falling;
        _spec.bias = biasByName(options.getString("bias"));
        _metresPerPulse = factor * metresPerSecond(options.getString("factor_unit"));
        _debounce = options.getDuration("debounce");
        _period = options.getDuration("period");
    }

    std::vector<Channel> channels() const override {
        // Edges closer than the debounce time are not counted: that bounds the highest speed seen.
        auto channel = [&](Quantity quantity) {
            const QuantityInfo& row = info(quantity);
            double max = row.physicalMax;
            if (_debounce > 0)
                max = std::min(max, _metresPerPulse * kMicrosPerSecond / static_cast<double>(_debounce));
            return Channel{quantity, 0.0, max};
        };
        return {channel(Quantity::WindSpeed), channel(Quantity::WindGust)};
    }

    bool eventDriven() const override { return true; }

    void open() override {
        _source = openEdgeSource(_spec);
        logger().information("counting " + std::string(_countRising ? "rising" : "falling") + " edges on " +
                             _source->describe());
    }

    void close() override { _source.reset(); }

    void run(Emitter& emitter, const StopToken& stop) override {
        if (!_source)
            throw std::logic_error(instanceName() + ": run() before open()");
        EdgeSource& source = *_source;
        const Micros sourceToUtc = nowMicros() - source.now();
        Micros periodStart = source.now();
        std::vector<Micros> pulses;  // counted and not yet reported, in time order
        std::optional<Micros> lastCounted;
        auto take = [&](const EdgeEvent& edge) {
            if (edge.rising != _countRising)
                return;
            if (lastCounted && edge.time - *lastCounted < _debounce)
                return;
            lastCounted = edge.time;
            pulses.push_back(std::max(edge.time, periodStart));  // one read late belongs to the open period
        };
        while (!stop.stopRequested()) {
            const Micros periodEnd = periodStart + _period;
            const Micros left = periodEnd - source.now();
            if (left > 0) {
                if (const auto edge = source.next(std::min(left, kLongestWait)))
                    take(*edge);
                continue;
            }
            while (const auto edge = source.next(0))  // edges already waiting may still be the period's
                take(*edge);
            report(emitter, pulses, periodStart, periodEnd, sourceToUtc);
            periodStart = periodEnd;
        }
    }

private:
    /// Emits the mean speed and the gust of [start, end) and drops its pulses from `pulses`.
    void report(Emitter& emitter, std::vector<Micros>& pulses, Micros start, Micros end,
                Micros sourceToUtc) const {
        const auto later = std::lower_bound(pulses.begin(), pulses.end(), end);
        const std::vector<Micros> inPeriod(pulses.begin(), later);
        pulses.erase(pulses.begin(), later);
        const double seconds = static_cast<double>(end - start) / kMicrosPerSecond;
        const double gustSeconds = static_cast<double>(kGustWindow) / kMicrosPerSecond;
        const double speed = static_cast<double>(inPeriod.size()) * _metresPerPulse / seconds;
        const double gust =
            static_cast<double>(busiestWindow(inPeriod, kGustWindow)) * _metresPerPulse / gustSeconds;
        const Micros time = end + sourceToUtc;
        SampleBatch batch{makeSample(Quantity::WindSpeed, speed, time, QualityOk),
                          makeSample(Quantity::WindGust, gust, time, QualityOk)};
        emitter.emit(batch);
    }

    GpioLineSpec _spec;
    bool _countRising = false;
    double _metresPerPulse = 0.0;  ///< the factor in m/s per Hz: one pulse is this many metres of wind
    Micros _debounce = 0;
    Micros _period = 0;
    std::unique_ptr<EdgeSource> _source;
};

}  // namespace citysense::anemometer

using citysense::anemometer::AnemometerDriver;

CITYSENSE_DRIVER(AnemometerDriver, "anemometer", "1.0.0",
                 "Cup anemometer on a GPIO line: mean wind speed and 3 s gust per period")
