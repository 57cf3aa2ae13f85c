// The cup anemometer driver. The cups turn a magnet past a reed switch that closes once per
// revolution (SparkFun weather meter kit: 2.4 km/h per closure per second; Davis 6410: 2.25 mph);
// the switch pulls a GPIO line low, so every closure is an edge. The driver counts the edges, drops
// contact bounce by their timestamps, and at the end of every period reports the mean speed and the
// gust, the highest mean over any 3 seconds of the period (the WMO definition of a gust).
//
// All timing is on the edge source's clock (CLOCK_MONOTONIC for a Linux line, a virtual clock in
// tests), never on the wall clock; period ends are mapped to UTC once, when run() starts.

#include <citysense/Export.h>
#include <citysense/bus/BusError.h>
#include <citysense/bus/Gpio.h>

#include <Poco/Logger.h>

#include <algorithm>
#include <deque>
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

/// An edge stamped further than this after the source's clock when it is read is on another clock.
constexpr Micros kClockTolerance = 10 * kMicrosPerSecond;

/// The pulses of the open period, counted as they come in time order, in constant memory: their
/// number, and the most of them in any window [t, t + width) within the period. Moving a window's
/// start forward to its first pulse never loses a pulse, so the busiest window holds a run of pulses
/// less than `width` apart from the first to the last, which is what the window reaching back from
/// its last pulse counts: the pulses p with last - width < p <= last. One reaching back before the
/// period's start holds no more than the period's first full window. Only those pulses are kept.
class PeriodPulses {
public:
    explicit PeriodPulses(Micros width) : _width(width) {}

    /// Counts a pulse no earlier than the one before.
    void add(Micros time) {
        ++_count;
        while (!_recent.empty() && time - _recent.front() >= _width)
            _recent.pop_front();
        _recent.push_back(time);
        _busiest = std::max(_busiest, _recent.size());
    }

    std::size_t count() const { return _count; }

    /// The most pulses in one window.
    std::size_t busiest() const { return _busiest; }

    void clear() {
        _count = 0;
        _busiest = 0;
        _recent.clear();
    }

private:
    Micros _width;
    std::size_t _count = 0;
    std::size_t _busiest = 0;
    std::deque<Micros> _recent;  ///< the pulses less than `_width` before the last one, and it
};

/// Decides which edges are pulses by the line's stability: a level counts once the line has held it
/// for the debounce time, so a reed switch that bounces when it closes or when it opens gives one
/// pulse. Two edges in a row to the same level mean one between was lost (the kernel's event queue
/// overflowed): the line was away in between.
class StableLine {
public:
    StableLine(bool activeHigh, Micros debounce)
        : _active(activeHigh), _stable(!activeHigh), _debounce(debounce) {}

    /// The line went to `level` at `time`; returns the start of a pulse this confirms, if any.
    std::optional<Micros> edge(bool level, Micros time) {
        const std::optional<Micros> confirmed = settle(time);
        if (!_pending && level == _stable)
            _stable = !level;
        _pending = Change{level, time};
        return _debounce == 0 ? settle(time) : confirmed;
    }

    /// The start of a pulse confirmed by the line holding its last level until `now`, if any.
    std::optional<Micros> settle(Micros now) {
        if (!_pending || now - _pending->since < _debounce)
            return std::nullopt;
        const Change change = *_pending;
        _pending.reset();
        if (change.level == _stable)
            return std::nullopt;
        _stable = change.level;
        return change.level == _active ? std::optional<Micros>(change.since) : std::nullopt;
    }

private:
    struct Change {
        bool level;
        Micros since;
    };

    const bool _active;  ///< the level a pulse starts with: high when rising edges are counted
    bool _stable;        ///< the level the line last held for the debounce time
    const Micros _debounce;
    std::optional<Change> _pending;  ///< a level not yet held long enough
};

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
                           "The edge that starts a pulse: falling when the switch pulls the line low"),
            Option::choice("bias", {"as_is", "pull_up", "pull_down"}, "pull_up",
                           "The line's internal bias: pull_up for a switch to ground"),
            Option::number("factor", "2.4",
                           "Wind speed for one pulse per second, in factor_unit (SparkFun 2.4 km/h, "
                           "Davis 6410 2.25 mph)")
                .atLeast(0),
            Option::choice("factor_unit", speedUnitNames(), "km/h", "The unit of factor"),
            Option::duration(
                "debounce", "5ms",
                "How long the line must hold a level for it to count: shorter changes, on closing or "
                "opening, are contact bounce")
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
        _spec.edges = Edges::Both;  // debouncing needs both: a pulse is the line held low, then high
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
        _clockChecked = false;
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
        PeriodPulses pulses(kGustWindow);  // counted in the open period
        StableLine line(_countRising, _debounce);
        auto reportUntil = [&](Micros time) {  // every period that ended by `time`
            while (periodStart + _period <= time) {
                report(emitter, pulses, periodStart, periodStart + _period, sourceToUtc);
                pulses.clear();
                periodStart += _period;
            }
        };
        auto count = [&](Micros pulse) {
            reportUntil(pulse);                        // one of a later period closes the open one
            pulses.add(std::max(pulse, periodStart));  // one confirmed late belongs to the open period
        };
        auto take = [&](const EdgeEvent& edge) {
            if (!_clockChecked) {
                checkClock(edge, source);
                _clockChecked = true;
            }
            if (const auto pulse = line.edge(edge.rising, edge.time))
                count(*pulse);
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
            if (const auto pulse = line.settle(source.now()))
                count(*pulse);
            reportUntil(periodEnd);
        }
    }

private:
    /// Linux before 5.7 stamps line events with CLOCK_REALTIME, not the CLOCK_MONOTONIC its lines'
    /// clock reads: every edge would then fall far beyond the period's end. An edge is read after it
    /// happened, so one stamped well after the clock's now is on another clock. One stamped well
    /// before it is not: it waited in the kernel's queue while the reader was held up, and counts.
    static void checkClock(const EdgeEvent& edge, const EdgeSource& source) {
        const Micros ahead = edge.time - source.now();
        if (ahead > kClockTolerance)
            throw BusError(source.describe() +
                           ": edge timestamps are not on CLOCK_MONOTONIC (an edge stamped " +
                           std::to_string(ahead / kMicrosPerSecond) +
                           " s after the line's clock reads): Linux before 5.7 stamps GPIO line events with "
                           "CLOCK_REALTIME; the anemometer needs Linux 5.7 or later");
    }

    /// Emits the mean speed and the gust of the period [start, end), whose pulses are `pulses`.
    void report(Emitter& emitter, const PeriodPulses& pulses, Micros start, Micros end,
                Micros sourceToUtc) const {
        const double seconds = static_cast<double>(end - start) / kMicrosPerSecond;
        const double gustSeconds = static_cast<double>(kGustWindow) / kMicrosPerSecond;
        const double speed = static_cast<double>(pulses.count()) * _metresPerPulse / seconds;
        const double gust = static_cast<double>(pulses.busiest()) * _metresPerPulse / gustSeconds;
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
    bool _clockChecked = false;  ///< whether an edge since open() showed the source's clock
};

}  // namespace citysense::anemometer

using citysense::anemometer::AnemometerDriver;

CITYSENSE_DRIVER(AnemometerDriver, "anemometer", "1.0.0",
                 "Cup anemometer on a GPIO line: mean wind speed and 3 s gust per period")
