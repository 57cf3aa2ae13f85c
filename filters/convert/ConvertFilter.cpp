// convert: adds (or substitutes) samples in another unit, e.g. temperature_f beside temperature.
// See README.md for the options.
#include <citysense/Export.h>

#include <algorithm>
#include <iterator>
#include <vector>

using namespace citysense;

namespace {

struct Conversion {
    Quantity from;
    Quantity to;
    double (*apply)(double);
};

// Every conversion the filter knows. At most one per `from` quantity.
const Conversion kConversions[] = {
    {Quantity::Temperature, Quantity::TemperatureF,
     [](double celsius) { return celsius * 9.0 / 5.0 + 32.0; }},
    {Quantity::TemperatureF, Quantity::Temperature,
     [](double fahrenheit) { return (fahrenheit - 32.0) * 5.0 / 9.0; }},
    {Quantity::WindSpeed, Quantity::WindSpeedKmh,
     [](double metresPerSecond) { return metresPerSecond * 3.6; }},
    {Quantity::WindSpeedKmh, Quantity::WindSpeed,
     [](double kilometresPerHour) { return kilometresPerHour / 3.6; }},
};

}  // namespace

class ConvertFilter : public Filter {
public:
    const OptionTable& options() const override {
        static const OptionTable table = {
            Option::list("to", "", "Quantities to convert into, e.g. temperature_f, wind_speed_kmh")
                .allowed(quantityNameList())
                .mandatory(),
            Option::choice("mode", {"add", "replace"}, "add",
                           "add: the converted sample follows the original; replace: it takes its place"),
        };
        return table;
    }

    void configure(const Options& options) override {
        _conversionFrom.assign(quantities().size(), nullptr);
        for (const auto& name : options.getList("to")) {
            const Quantity target = *quantityByName(name);
            const auto found =
                std::find_if(std::begin(kConversions), std::end(kConversions),
                             [&](const Conversion& conversion) { return conversion.to == target; });
            if (found == std::end(kConversions))
                throw OptionError("to",
                                  "nothing converts into '" + name + "' (known: " + targetNames() + ")");
            _conversionFrom[static_cast<std::size_t>(found->from)] = found;
        }
        _replace = options.getString("mode") == "replace";
    }

    void process(SampleBatch& batch) override {
        SampleBatch out;
        out.reserve(batch.size() * 2);
        for (const Sample& sample : batch) {
            const Conversion* conversion = _conversionFrom[static_cast<std::size_t>(sample.quantity)];
            if (!conversion || !_replace)
                out.push_back(sample);
            if (conversion) {
                Sample converted = sample;
                converted.quantity = conversion->to;
                converted.value = conversion->apply(sample.value);
                out.push_back(converted);
            }
        }
        batch = std::move(out);
    }

private:
    static std::string targetNames() {
        std::string names;
        for (const Conversion& conversion : kConversions)
            names += (names.empty() ? "" : ", ") + std::string(info(conversion.to).name);
        return names;
    }

    std::vector<const Conversion*> _conversionFrom;  ///< indexed by Quantity; null: left as it is
    bool _replace = false;
};

CITYSENSE_FILTER(ConvertFilter, "convert", "1.0.0",
                 "Converts samples into other units (Cel/degF, m/s and km/h)")
