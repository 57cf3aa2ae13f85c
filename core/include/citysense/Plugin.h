// What every plugin (driver, filter, sink) has in common: an option table, a configure step, and the
// identity of the instance it runs as.
#pragma once

#include <citysense/Options.h>
#include <citysense/Sample.h>

#include <string>

namespace Poco {
class Logger;
}

namespace citysense {

/// Who an instance is: set by the host before configure().
struct InstanceContext {
    std::string name;  ///< "driver.air", "sink.console": the prefix of every log line of the instance
    Station station;
    const Source* source = nullptr;  ///< the instance's own source, for samples it makes
};

class Plugin {
public:
    virtual ~Plugin();

    /// The options this plugin accepts. The same table for every instance of the plugin.
    virtual const OptionTable& options() const = 0;

    /// Receives the validated options. Throw OptionError for a problem with a key the table could not
    /// catch (it is reported with the file and section); acquire no device or connection here.
    virtual void configure(const Options& options) = 0;

    /// Called by the host before configure().
    void attach(const InstanceContext& context);

    const std::string& instanceName() const { return _context.name; }
    const Station& station() const { return _context.station; }
    const Source* source() const { return _context.source; }

    /// A logger named after the instance.
    Poco::Logger& logger() const;

private:
    InstanceContext _context;
    Poco::Logger* _logger = nullptr;
};

}  // namespace citysense
