// window: replaces the samples of each series by one aggregate per period (mean, min, max or count).
// See README.md for the options.
#include <citysense/Export.h>
#include <citysense/Format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <optional>
#include <utility>

using namespace citysense;

class WindowFilter : public Filter {
public:
    const OptionTable& options() const override {
        static const OptionTable table = {
            Option::duration("period", "1m",
                             "Length of a window; windows start at multiples of it since the epoch")
                .atLeast(0.001),
            Option::choice(
                "function", {"mean", "min", "max", "count"}, "mean",
                "What a window's sample carries: the mean, min or max of its values, or their count"),
        };
        return table;
    }

    void configure(const Options& options) override {
        _period = options.getDuration("period");
        const std::string& function = options.getString("function");
        _function = function == "min"     ? Function::Min
                    : function == "max"   ? Function::Max
                    : function == "count" ? Function::Count
                                          : Function::Mean;
    }

    void process(SampleBatch& batch) override {
        SampleBatch closed;
        for (const Sample& sample : batch)
            add(sample, closed);
        batch = std::move(closed);
    }

    void flush(Micros now, SampleBatch& out) override {
        // The largest Micros comes at a stop, after a flush with the current time: a window still
        // open has not reached its end, and says so.
        const bool stopping = now == std::numeric_limits<Micros>::max();
        for (auto& [key, series] : _series) {
            if (series.open && (stopping || series.open->start + _period <= now)) {
                out.push_back(close(key, series));
                if (stopping)
                    out.back().quality |= QualityPartial;
            }
        }
    }

    /// On a reload with the same period and function, the open windows go on here, whole.
    void takeOver(Filter& predecessor) override {
        auto* previous = dynamic_cast<WindowFilter*>(&predecessor);
        if (!previous || previous->_period != _period || previous->_function != _function)
            return;  // its windows are flushed from it, flagged partial
        _series = std::move(previous->_series);
        previous->_series.clear();
    }

private:
    enum class Function { Mean, Min, Max, Count };
    using Key = std::pair<const Source*, Quantity>;

    struct Window {
        Micros start;
        std::size_t count = 0;
        double sum = 0.0;
        double min = std::numeric_limits<double>::infinity();
        double max = -std::numeric_limits<double>::infinity();
        std::uint16_t quality = QualityOk;
    };

    struct Series {
        std::optional<Window> open;
        Micros closedUntil = std::numeric_limits<Micros>::min();  ///< end of the last window sent
    };

    void add(const Sample& sample, SampleBatch& closed) {
        if (!std::isfinite(sample.value)) {
            countDropped(
                "non_finite_value", 1,
                std::string("a ") + info(sample.quantity).name + " value of " + formatNumber(sample.value));
            return;
        }
        const Micros start = sample.time - floorMod(sample.time, _period);
        const Key key{sample.source, sample.quantity};
        Series& series = _series[key];
        if (start < (series.open ? series.open->start : series.closedUntil)) {
            countDropped("late_sample", 1,
                         std::string("a ") + info(sample.quantity).name + " sample of " +
                             formatIsoTime(sample.time) + ", for a window already closed");
            return;
        }
        if (series.open && start > series.open->start)
            closed.push_back(close(key, series));
        if (!series.open)
            series.open = Window{start};
        Window& window = *series.open;
        ++window.count;
        window.sum += sample.value;
        window.min = std::min(window.min, sample.value);
        window.max = std::max(window.max, sample.value);
        window.quality |= sample.quality;
    }

    /// The sample that stands for the series' open window, which is closed.
    Sample close(const Key& key, Series& series) {
        const Window& window = *series.open;
        Sample sample;
        sample.source = key.first;
        sample.quantity = key.second;
        sample.time = window.start + _period;
        sample.quality = window.quality;
        switch (_function) {
            case Function::Mean:
                sample.value = window.sum / static_cast<double>(window.count);
                break;
            case Function::Min:
                sample.value = window.min;
                break;
            case Function::Max:
                sample.value = window.max;
                break;
            case Function::Count:
                sample.value = static_cast<double>(window.count);
                break;
        }
        series.closedUntil = sample.time;
        series.open.reset();
        return sample;
    }

    static Micros floorMod(Micros time, Micros period) { return ((time % period) + period) % period; }

    Micros _period = 0;
    Function _function = Function::Mean;
    std::map<Key, Series> _series;
};

CITYSENSE_FILTER(WindowFilter, "window", "1.0.0",
                 "Aggregates each series over fixed periods (mean, min, max, count)")
