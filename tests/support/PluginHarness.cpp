#include "PluginHarness.h"

#include <stdexcept>

namespace citysense::test {

PluginRegistry& builtPlugins() {
    static PluginRegistry* registry = [] {
        auto* loaded = new PluginRegistry;  // never destroyed: instances may outlive static destruction order
        loaded->scan({CITYSENSE_TEST_PLUGIN_DIR});
        return loaded;
    }();
    return *registry;
}

const Station& testStation() {
    static const Station station{"hypo_city", "city_01", "street_01"};
    return station;
}

LatestReadings& testLatestReadings() {
    static LatestReadings readings;
    return readings;
}

namespace {

template <typename Instance>
std::unique_ptr<Instance> configure(std::unique_ptr<Instance> instance, const std::string& kind,
                                    const std::map<std::string, std::string>& raw) {
    const std::string instanceName = kind + ".test";
    instance->attach(
        {instanceName, testStation(), Source::intern(testStation(), instanceName), &testLatestReadings()});
    std::vector<OptionIssue> issues;
    const Options options = Options::parse(instance->options(), raw, issues);
    if (!issues.empty()) {
        std::string message = "invalid options:";
        for (const auto& issue : issues)
            message += " [" + issue.key + ": " + issue.message + "]";
        throw std::runtime_error(message);
    }
    instance->configure(options);
    return instance;
}

void requireLoaded(const std::string& name) {
    if (!builtPlugins().find(name))
        throw std::runtime_error("plugin '" + name + "' is not built in " CITYSENSE_TEST_PLUGIN_DIR);
}

}  // namespace

std::unique_ptr<Driver> makeDriver(const std::string& name,
                                   const std::map<std::string, std::string>& options) {
    requireLoaded(name);
    return configure(builtPlugins().createDriver(name), "driver", options);
}

std::unique_ptr<Filter> makeFilter(const std::string& name,
                                   const std::map<std::string, std::string>& options) {
    requireLoaded(name);
    return configure(builtPlugins().createFilter(name), "filter", options);
}

std::unique_ptr<Sink> makeSink(const std::string& name, const std::map<std::string, std::string>& options) {
    requireLoaded(name);
    return configure(builtPlugins().createSink(name), "sink", options);
}

Sample testSample(Quantity quantity, double value, Micros time, std::uint16_t quality) {
    Sample sample;
    sample.quantity = quantity;
    sample.value = value;
    sample.time = time;
    sample.quality = quality;
    sample.source = Source::intern(testStation(), "driver.test");
    return sample;
}

}  // namespace citysense::test
