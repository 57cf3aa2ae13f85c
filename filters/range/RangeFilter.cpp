// range: flags samples whose value cannot be a real reading as out of range; removes nothing.
// See README.md for the options.
#include <citysense/Export.h>
#include <citysense/Format.h>

#include <vector>

using namespace citysense;

class RangeFilter : public Filter {
public:
    const OptionTable& options() const override {
        static const OptionTable table = {
            Option::number("min", "", "Lowest valid value; default: the quantity's physical minimum")
                .perQuantity(),
            Option::number("max", "", "Highest valid value; default: the quantity's physical maximum")
                .perQuantity(),
        };
        return table;
    }

    void configure(const Options& options) override {
        _bounds.clear();
        for (const auto& row : quantities()) {
            const double min =
                options.has("min", row.quantity) ? options.getNumber("min", row.quantity) : row.physicalMin;
            const double max =
                options.has("max", row.quantity) ? options.getNumber("max", row.quantity) : row.physicalMax;
            if (min > max)
                throw OptionError(options.has("min", row.quantity) ? options.keyFor("min", row.quantity)
                                                                   : options.keyFor("max", row.quantity),
                                  std::string(row.name) + ": min " + formatNumber(min) + " is above max " +
                                      formatNumber(max));
            _bounds.push_back({min, max});
        }
    }

    void process(SampleBatch& batch) override {
        for (Sample& sample : batch) {
            const Bounds& bounds = _bounds[static_cast<std::size_t>(sample.quantity)];
            // Written so that NaN, which fails every comparison, is out of range too.
            if (!(sample.value >= bounds.min && sample.value <= bounds.max))
                sample.quality |= QualityOutOfRange;
        }
    }

private:
    struct Bounds {
        double min;
        double max;
    };

    std::vector<Bounds> _bounds;  ///< indexed by Quantity
};

CITYSENSE_FILTER(RangeFilter, "range", "1.0.0",
                 "Flags values outside physical or configured bounds as out of range")
