#include "ServiceApplication.h"

#include <Poco/AutoPtr.h>
#include <Poco/ConsoleChannel.h>
#include <Poco/FormattingChannel.h>
#include <Poco/Logger.h>
#include <Poco/PatternFormatter.h>
#include <Poco/SyslogChannel.h>
#include <Poco/Util/HelpFormatter.h>
#include <Poco/Util/Option.h>

#include <filesystem>
#include <iostream>

namespace citysense {

ServiceApplication::ServiceApplication(std::string name, std::string usage, std::string header)
    : _name(std::move(name)), _usage(std::move(usage)), _header(std::move(header)) {}

void ServiceApplication::initialize(Poco::Util::Application& self) {
    ServerApplication::initialize(self);
    setUpLogging(config().getBool("application.runAsDaemon", false));
}

void ServiceApplication::defineOptions(Poco::Util::OptionSet& options) {
    ServerApplication::defineOptions(options);
    options.addOption(
        Poco::Util::Option("help", "h", "print this help and exit")
            .repeatable(false)
            .callback(Poco::Util::OptionCallback<ServiceApplication>(this, &ServiceApplication::onHelp)));
    addValueOption(options, "config", "the configuration file (.ini or .xml)", "FILE", "c");
    addValueOption(options, "check",
                   "validate the configuration, print every problem, exit non-zero if there is one");
}

void ServiceApplication::addValueOption(Poco::Util::OptionSet& options, const char* name, const char* help,
                                        const char* argument, const char* shortName) {
    Poco::Util::Option option(name, shortName, help);
    if (argument)
        option.argument(argument);
    options.addOption(option.repeatable(false).callback(
        Poco::Util::OptionCallback<ServiceApplication>(this, &ServiceApplication::onValue)));
}

void ServiceApplication::onHelp(const std::string&, const std::string&) {
    Poco::Util::HelpFormatter help(options());
    help.setCommand(commandName());
    help.setUsage(_usage);
    help.setHeader(_header);
    help.format(std::cout);
    _helpShown = true;
    stopOptionsProcessing();
}

void ServiceApplication::onValue(const std::string& name, const std::string& value) {
    // Options are handled before a daemon changes to "/": make the configuration path absolute now.
    _values[name] = name == "config" ? std::filesystem::absolute(value).string() : value;
}

void ServiceApplication::setUpLogging(bool toSyslog) {
    Poco::AutoPtr<Poco::Channel> sink;
    if (toSyslog)
        sink = new Poco::SyslogChannel(_name);
    else
        sink = new Poco::ConsoleChannel;  // standard error: standard output belongs to the console sink
    Poco::AutoPtr<Poco::PatternFormatter> format(
        new Poco::PatternFormatter("%Y-%m-%d %H:%M:%S.%i %p %s: %t"));
    Poco::AutoPtr<Poco::FormattingChannel> channel(new Poco::FormattingChannel(format, sink));
    Poco::Logger::root().setChannel(channel);
    Poco::Logger::get(_name).setChannel(channel);
}

}  // namespace citysense
