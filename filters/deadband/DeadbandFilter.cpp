// deadband: passes a sample only when its series has changed enough since the last sample it sent.
// See README.md for the options.
#include <citysense/Export.h>

#include <cmath>
#include <limits>
#include <map>
#include <utility>
#include <vector>

using namespace citysense;

class DeadbandFilter : public Filter {
public:
    const OptionTable& options() const override {
        static const OptionTable table = {
            Option::number(
                "absolute", "0",
                "Send when the value differs from the last sent one by more than this; 0: not used")
                .atLeast(0)
                .perQuantity(),
            Option::number("relative", "0",
                           "Send when the value differs by more than this fraction of the last sent one "
                           "(0.05 = 5%); 0: not used")
                .range(0, 10)
                .perQuantity(),
            Option::duration("max_silence", "0",
                             "Send an unchanged value anyway once this long has passed since the last sent "
                             "one; 0: no limit"),
        };
        return table;
    }

    void configure(const Options& options) override {
        _thresholds.clear();
        for (const auto& row : quantities())
            _thresholds.push_back(
                {options.getNumber("absolute", row.quantity), options.getNumber("relative", row.quantity)});
        _maxSilence = options.getDuration("max_silence");
    }

    void process(SampleBatch& batch) override {
        auto kept = batch.begin();
        for (const Sample& sample : batch) {
            if (send(sample))
                *kept++ = sample;
        }
        batch.erase(kept, batch.end());
    }

private:
    struct Thresholds {
        double absolute;
        double relative;
    };

    struct Sent {
        double value = 0.0;
        std::uint16_t quality = QualityOk;
        Micros time = 0;
    };

    /// Whether `sample` is sent; if so, it becomes the last sent sample of its series.
    bool send(const Sample& sample) {
        const auto [last, first] = _lastSent.try_emplace({sample.source, sample.quantity});
        if (!first && !changed(sample, last->second))
            return false;
        last->second = {sample.value, sample.quality, sample.time};
        return true;
    }

    bool changed(const Sample& sample, const Sent& last) const {
        if (sample.quality != last.quality)
            return true;
        if (_maxSilence > 0 && sample.time - last.time >= _maxSilence)
            return true;
        return valueChanged(sample.value, last.value, _thresholds[static_cast<std::size_t>(sample.quantity)]);
    }

    static bool valueChanged(double value, double last, const Thresholds& threshold) {
        // NaN is unequal to everything, itself included: only turning NaN or back is a change.
        if (std::isnan(value) || std::isnan(last))
            return std::isnan(value) != std::isnan(last);
        if (threshold.absolute == 0 && threshold.relative == 0)
            return value != last;
        const double change = std::fabs(value - last);
        return (threshold.absolute > 0 && change > threshold.absolute) ||
               (threshold.relative > 0 && change > threshold.relative * std::fabs(last));
    }

    std::vector<Thresholds> _thresholds;  ///< indexed by Quantity
    Micros _maxSilence = 0;
    std::map<std::pair<const Source*, Quantity>, Sent> _lastSent;
};

CITYSENSE_FILTER(DeadbandFilter, "deadband", "1.0.0",
                 "Publishes a sample only when its value or quality changes")
