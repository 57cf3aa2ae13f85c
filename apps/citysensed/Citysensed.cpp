// citysensed: the citysense host service. Reads a configuration, loads the plugins it names, and
// runs its pipelines until SIGTERM or SIGINT, then drains every queue before it exits.
#include "Describe.h"

#include <Engine.h>
#include <Plan.h>
#include <PluginRegistry.h>

#include <Poco/AutoPtr.h>
#include <Poco/ConsoleChannel.h>
#include <Poco/FormattingChannel.h>
#include <Poco/Logger.h>
#include <Poco/PatternFormatter.h>
#include <Poco/SyslogChannel.h>
#include <Poco/Util/HelpFormatter.h>
#include <Poco/Util/Option.h>
#include <Poco/Util/OptionSet.h>
#include <Poco/Util/ServerApplication.h>

#include <csignal>
#include <filesystem>
#include <iostream>

namespace citysense {

using Poco::Util::OptionCallback;
using Poco::Util::OptionSet;

class Citysensed : public Poco::Util::ServerApplication {
protected:
    void initialize(Poco::Util::Application& self) override {
        ServerApplication::initialize(self);
        setUpLogging(config().getBool("application.runAsDaemon", false));
    }

    void defineOptions(OptionSet& options) override {
        ServerApplication::defineOptions(options);
        const auto add = [&](const char* name, const char* shortName, const char* help, const char* argument,
                             void (Citysensed::*handler)(const std::string&, const std::string&)) {
            Poco::Util::Option option(name, shortName, help);
            if (argument)
                option.argument(argument);
            options.addOption(option.repeatable(false).callback(OptionCallback<Citysensed>(this, handler)));
        };
        add("help", "h", "print this help and exit", nullptr, &Citysensed::onHelp);
        add("config", "c", "the configuration file (.ini or .xml)", "FILE", &Citysensed::onValue);
        add("check", "", "validate the configuration, print every problem, exit non-zero if there is one",
            nullptr, &Citysensed::onValue);
        add("list-plugins", "", "list the plugins found and the files that failed to load", nullptr,
            &Citysensed::onValue);
        add("describe", "", "print a plugin's options and channels", "NAME", &Citysensed::onValue);
        add("once", "", "read every polled driver once, deliver, and exit", nullptr, &Citysensed::onValue);
    }

    int main(const ArgVec& arguments) override {
        if (_helpShown)
            return EXIT_OK;
        if (!arguments.empty()) {
            std::cerr << "citysensed: unexpected argument '" << arguments.front() << "' (see --help)\n";
            return EXIT_USAGE;
        }
        PluginRegistry registry;
        if (_values.count("list-plugins") || _values.count("describe"))
            return describe(registry);
        if (!_values.count("config")) {
            std::cerr << "citysensed: no configuration given: use -c FILE (see --help)\n";
            return EXIT_USAGE;
        }
        if (_values.count("check"))
            Poco::Logger::setLevel("", Poco::Message::PRIO_WARNING);  // only the verdict and the problems
        std::unique_ptr<Plan> plan;
        std::unique_ptr<Engine> engine = build(registry, plan);
        if (!engine)
            return EXIT_CONFIG;
        if (_values.count("check")) {
            std::cout << _values["config"] << ": configuration is valid\n";
            return EXIT_OK;
        }
        registry.unloadExcept(plan->plugins());
        Poco::Logger::setLevel("", Poco::Logger::parseLevel(plan->host.logLevel));
        auto& log = Poco::Logger::get("citysensed");
        if (_values.count("once")) {
            const bool allRead = engine->runOnce();
            logSummary(*engine);
            return allRead ? EXIT_OK : EXIT_SOFTWARE;
        }
        blockTerminationSignals();
        engine->start();
        log.information("running " + std::to_string(plan->pipelines.size()) + " pipeline(s) for " +
                        plan->host.station.system + "/" + plan->host.station.city + "/" +
                        plan->host.station.street);
        waitForTerminationRequest();
        log.information("stopping: draining queues");
        engine->stop();
        logSummary(*engine);
        return EXIT_OK;
    }

private:
    void onHelp(const std::string&, const std::string&) {
        Poco::Util::HelpFormatter help(options());
        help.setCommand(commandName());
        help.setUsage(
            "-c FILE [--check | --once | --daemon [--pidfile FILE]] | --list-plugins | --describe NAME");
        help.setHeader("The citysense host: runs sensor drivers, filters and sinks as configured.");
        help.format(std::cout);
        _helpShown = true;
        stopOptionsProcessing();
    }

    void onValue(const std::string& name, const std::string& value) {
        // Options are handled before a daemon changes to "/": make the configuration path absolute now.
        _values[name] = name == "config" ? std::filesystem::absolute(value).string() : value;
    }

    void setUpLogging(bool toSyslog) {
        Poco::AutoPtr<Poco::Channel> sink;
        if (toSyslog)
            sink = new Poco::SyslogChannel("citysensed");
        else
            sink = new Poco::ConsoleChannel;  // standard error: standard output belongs to the console sink
        Poco::AutoPtr<Poco::PatternFormatter> format(
            new Poco::PatternFormatter("%Y-%m-%d %H:%M:%S.%i %p %s: %t"));
        Poco::AutoPtr<Poco::FormattingChannel> channel(new Poco::FormattingChannel(format, sink));
        Poco::Logger::root().setChannel(channel);
        Poco::Logger::get("citysensed").setChannel(channel);
    }

    /// Worker threads inherit this mask, so SIGTERM and SIGINT reach only waitForTerminationRequest().
    static void blockTerminationSignals() {
        sigset_t signals;
        sigemptyset(&signals);
        sigaddset(&signals, SIGINT);
        sigaddset(&signals, SIGQUIT);
        sigaddset(&signals, SIGTERM);
        pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    }

    int describe(PluginRegistry& registry) {
        std::vector<std::string> configured;
        if (_values.count("config")) {
            try {
                std::vector<ConfigIssue> ignored;
                configured = readHostSettings(readConfigFile(_values["config"]), ignored).pluginPath;
            } catch (const ConfigFileError& error) {
                std::cerr << error.what() << "\n";
                return EXIT_CONFIG;
            }
        }
        registry.scan(PluginRegistry::searchPath(configured));
        if (_values.count("list-plugins")) {
            printPluginList(std::cout, registry);
            return EXIT_OK;
        }
        if (!printPluginDescription(std::cout, registry, _values["describe"])) {
            std::cerr << "citysensed: no plugin named '" << _values["describe"] << "' (see --list-plugins)\n";
            for (const auto& error : registry.errorsConcerning(_values["describe"]))
                std::cerr << "  " << error.path << ": " << error.message << "\n";
            return EXIT_USAGE;
        }
        return EXIT_OK;
    }

    /// Reads and validates the configuration and builds the engine; prints every problem found.
    std::unique_ptr<Engine> build(PluginRegistry& registry, std::unique_ptr<Plan>& plan) {
        const std::string& path = _values["config"];
        ConfigDocument document;
        try {
            document = readConfigFile(path);
        } catch (const ConfigFileError& error) {
            std::cerr << error.what() << "\n";
            return nullptr;
        }
        std::vector<ConfigIssue> issues;
        const HostSettings host = readHostSettings(document, issues);
        registry.scan(PluginRegistry::searchPath(host.pluginPath));
        issues.clear();
        plan = std::make_unique<Plan>(makePlan(document, registry, issues));
        std::unique_ptr<Engine> engine;
        if (!hasErrors(issues))
            engine = std::make_unique<Engine>(*plan, registry, issues);
        for (const auto& issue : issues)
            std::cerr << formatIssue(path, issue) << "\n";
        if (hasErrors(issues)) {
            std::size_t errors = 0;
            for (const auto& issue : issues)
                errors += issue.warning ? 0 : 1;
            std::cerr << path << ": " << errors << " error(s); not started\n";
            return nullptr;
        }
        return engine;
    }

    static void logSummary(const Engine& engine) {
        auto& log = Poco::Logger::get("citysensed");
        for (const auto& status : engine.status()) {
            log.information(status.name + " (" + status.plugin + "): " + stateName(status.state) + ", read " +
                            std::to_string(status.read) + ", delivered " + std::to_string(status.delivered) +
                            ", dropped " + std::to_string(status.dropped) + ", failures " +
                            std::to_string(status.failures));
        }
    }

    std::map<std::string, std::string> _values;
    bool _helpShown = false;
};

}  // namespace citysense

POCO_SERVER_MAIN(citysense::Citysensed)
