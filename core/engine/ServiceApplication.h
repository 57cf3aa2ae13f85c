// What citysensed and citysense-api share as Poco ServerApplications: -h/--help, -c/--config FILE and
// --check, every further option kept by name in values(), the configuration path made absolute before
// a daemon changes to "/", and logging to standard error, or to syslog under the program's name when it
// runs as a daemon.
#pragma once

#include <Poco/Util/OptionSet.h>
#include <Poco/Util/ServerApplication.h>

#include <map>
#include <string>

namespace citysense {

class ServiceApplication : public Poco::Util::ServerApplication {
protected:
    /// `name` names the logger and the syslog entries; `usage` and `header` are shown by --help.
    ServiceApplication(std::string name, std::string usage, std::string header);

    void initialize(Poco::Util::Application& self) override;
    void defineOptions(Poco::Util::OptionSet& options) override;

    /// Declares an option whose value ("" when it takes no `argument`) goes into values() by its name.
    void addValueOption(Poco::Util::OptionSet& options, const char* name, const char* help,
                        const char* argument = nullptr, const char* shortName = "");

    bool helpShown() const { return _helpShown; }
    /// The options given, by name.
    std::map<std::string, std::string>& values() { return _values; }

private:
    void onHelp(const std::string& name, const std::string& value);
    void onValue(const std::string& name, const std::string& value);
    void setUpLogging(bool toSyslog);

    const std::string _name;
    const std::string _usage;
    const std::string _header;
    std::map<std::string, std::string> _values;
    bool _helpShown = false;
};

}  // namespace citysense
