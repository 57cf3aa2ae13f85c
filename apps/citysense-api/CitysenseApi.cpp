// citysense-api: the city's read-only HTTP(S) API over the readings store (OGC SensorThings API 1.1).
// Reads its configuration ([api], [store]), opens the store read-only, answers until SIGTERM or
// SIGINT, then lets the requests under way finish before it exits. Tells systemd when it is ready.
#include "ApiServer.h"
#include "ApiSettings.h"
#include "ReadingsStore.h"

#include <engine/Plan.h>
#include <engine/SystemdNotify.h>

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

#include <filesystem>
#include <iostream>
#include <map>
#include <optional>

namespace citysense::api {

using Poco::Util::OptionCallback;
using Poco::Util::OptionSet;

class CitysenseApi : public Poco::Util::ServerApplication {
protected:
    void initialize(Poco::Util::Application& self) override {
        ServerApplication::initialize(self);
        setUpLogging(config().getBool("application.runAsDaemon", false));
    }

    void defineOptions(OptionSet& options) override {
        ServerApplication::defineOptions(options);
        const auto add = [&](const char* name, const char* shortName, const char* help, const char* argument,
                             void (CitysenseApi::*handler)(const std::string&, const std::string&)) {
            Poco::Util::Option option(name, shortName, help);
            if (argument)
                option.argument(argument);
            options.addOption(option.repeatable(false).callback(OptionCallback<CitysenseApi>(this, handler)));
        };
        add("help", "h", "print this help and exit", nullptr, &CitysenseApi::onHelp);
        add("config", "c", "the configuration file (.ini or .xml)", "FILE", &CitysenseApi::onValue);
        add("check", "", "validate the configuration, print every problem, exit non-zero if there is one",
            nullptr, &CitysenseApi::onValue);
    }

    int main(const ArgVec& arguments) override {
        if (_helpShown)
            return EXIT_OK;
        if (!arguments.empty()) {
            std::cerr << "citysense-api: unexpected argument '" << arguments.front() << "' (see --help)\n";
            return EXIT_USAGE;
        }
        if (!_values.count("config")) {
            std::cerr << "citysense-api: no configuration given: use -c FILE (see --help)\n";
            return EXIT_USAGE;
        }
        const std::optional<ApiSettings> settings = load(_values["config"]);
        if (!settings)
            return EXIT_CONFIG;
        if (_values.count("check")) {
            std::cout << _values["config"] << ": configuration is valid\n";
            return EXIT_OK;
        }
        Poco::Logger::setLevel("", Poco::Logger::parseLevel(settings->server.logLevel));
        return serve(*settings);
    }

private:
    void onHelp(const std::string&, const std::string&) {
        Poco::Util::HelpFormatter help(options());
        help.setCommand(commandName());
        help.setUsage("-c FILE [--check | --daemon [--pidfile FILE]]");
        help.setHeader(
            "The citysense city data API: the readings store over HTTP(S), as OGC SensorThings API 1.1.");
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
            sink = new Poco::SyslogChannel("citysense-api");
        else
            sink = new Poco::ConsoleChannel;
        Poco::AutoPtr<Poco::PatternFormatter> format(
            new Poco::PatternFormatter("%Y-%m-%d %H:%M:%S.%i %p %s: %t"));
        Poco::AutoPtr<Poco::FormattingChannel> channel(new Poco::FormattingChannel(format, sink));
        Poco::Logger::root().setChannel(channel);
        Poco::Logger::get("citysense-api").setChannel(channel);
    }

    /// The settings, or nothing after printing every problem of the file to standard error.
    static std::optional<ApiSettings> load(const std::string& path) {
        try {
            std::vector<ConfigIssue> issues;
            ApiSettings settings = readApiSettings(readConfigFile(path), issues);
            for (const auto& issue : issues)
                std::cerr << formatIssue(path, issue) << "\n";
            if (hasErrors(issues))
                return std::nullopt;
            return settings;
        } catch (const ConfigFileError& error) {
            std::cerr << error.what() << "\n";
            return std::nullopt;
        }
    }

    int serve(const ApiSettings& settings) {
        auto& log = Poco::Logger::get("citysense-api");
        std::unique_ptr<ReadingsStore> store;
        std::unique_ptr<ApiServer> server;
        try {
            store = std::make_unique<ReadingsStore>(settings.store);
            server = std::make_unique<ApiServer>(settings.server, *store);
        } catch (const std::exception& error) {
            log.error(error.what());
            return EXIT_UNAVAILABLE;
        }
        if (!store->reachable())
            log.warning("the readings store (" + store->description() +
                        ") does not answer yet: requests get 503 until it does");
        log.information("reading " + store->description());
        log.information("listening on " + server->url() + "/v1.1 (health: /health, metrics: /metrics)");
        notifySystemd("READY=1");
        waitForTerminationRequest();
        notifySystemd("STOPPING=1");
        log.information("stopping: letting the requests under way finish");
        if (!server->drain(settings.server.drainTimeout))
            log.warning("requests still running after drain_timeout: they are cut off");
        server.reset();
        log.information("stopped");
        return EXIT_OK;
    }

    std::map<std::string, std::string> _values;
    bool _helpShown = false;
};

}  // namespace citysense::api

POCO_SERVER_MAIN(citysense::api::CitysenseApi)
