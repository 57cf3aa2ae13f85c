// Test support: loads the real plugin libraries built in this tree and creates configured instances,
// so plugin tests go through the same ClassLoader path as the host.
#pragma once

#include <engine/PluginRegistry.h>

#include <citysense/LatestReadings.h>

#include <map>
#include <memory>
#include <string>

namespace citysense::test {

/// The registry over the build tree's plugin directory, loaded once per test binary.
PluginRegistry& builtPlugins();

/// The station every harness instance belongs to: hypo_city/city_01/street_01.
const Station& testStation();

/// The latest readings every harness instance is lent, as the engine lends its own: tests record
/// samples into it where the engine would record what drivers deliver.
LatestReadings& testLatestReadings();

/// Creates an instance of plugin `name`, attaches it as `<kind>.test`, validates `options` against
/// its table and configures it. Validation problems throw std::runtime_error listing them.
std::unique_ptr<Driver> makeDriver(const std::string& name,
                                   const std::map<std::string, std::string>& options);
std::unique_ptr<Filter> makeFilter(const std::string& name,
                                   const std::map<std::string, std::string>& options);
std::unique_ptr<Sink> makeSink(const std::string& name, const std::map<std::string, std::string>& options);

/// A sample from the test station, as a driver named "driver.test" would make it.
Sample testSample(Quantity quantity, double value, Micros time, std::uint16_t quality = QualityOk);

/// The message of the exception `function` throws; "(no exception)" if it throws none.
template <typename Function>
std::string errorOf(Function&& function) {
    try {
        function();
    } catch (const std::exception& error) {
        return error.what();
    }
    return "(no exception)";
}

/// The key of the OptionError `function` throws; "(no OptionError)" if it throws none.
template <typename Function>
std::string optionKeyOf(Function&& function) {
    try {
        function();
    } catch (const OptionError& error) {
        return error.key();
    }
    return "(no OptionError)";
}

}  // namespace citysense::test
