// citysensed: the citysense host service. Reads a configuration, loads the plugins it names, and
// runs its pipelines until SIGTERM or SIGINT, then drains every queue before it exits.
#include "Describe.h"
#include "LoadedConfiguration.h"

#include <engine/AbandonedInstances.h>
#include <engine/HealthServer.h>
#include <engine/RemoteConfig.h>
#include <engine/RemoteFragment.h>
#include <engine/ServiceApplication.h>
#include <engine/SystemdNotify.h>
#include <net/TcpAddress.h>

#include <Poco/Logger.h>
#include <Poco/Util/OptionSet.h>

#include <unistd.h>
#include <csignal>
#include <iostream>
#include <mutex>

namespace citysense {

using Poco::Util::OptionSet;

class Citysensed : public ServiceApplication {
public:
    Citysensed()
        : ServiceApplication("citysensed",
                             "-c FILE [--check | --once | --daemon [--pidfile FILE]] | --list-plugins | "
                             "--describe NAME [--format markdown]",
                             "The citysense host: runs sensor drivers, filters and sinks as configured.") {}

protected:
    void defineOptions(OptionSet& options) override {
        ServiceApplication::defineOptions(options);
        addValueOption(options, "list-plugins", "list the plugins found and the files that failed to load");
        addValueOption(options, "describe", "print a plugin's options and channels", "NAME");
        addValueOption(options, "format",
                       "of --describe: text (the default) or markdown, the tables of the plugin's README",
                       "FORMAT");
        addValueOption(options, "once", "read every polled driver once, deliver, and exit");
    }

    int main(const ArgVec& arguments) override {
        if (helpShown())
            return EXIT_OK;
        if (!arguments.empty()) {
            std::cerr << "citysensed: unexpected argument '" << arguments.front() << "' (see --help)\n";
            return EXIT_USAGE;
        }
        if (values().count("list-plugins") || values().count("describe"))
            return describe();
        if (!values().count("config")) {
            std::cerr << "citysensed: no configuration given: use -c FILE (see --help)\n";
            return EXIT_USAGE;
        }
        if (values().count("check"))
            Poco::Logger::setLevel("", Poco::Message::PRIO_WARNING);  // only the verdict and the problems
        std::unique_ptr<LoadedConfiguration> loaded = LoadedConfiguration::build(
            values()["config"], [](const std::string& line) { std::cerr << line << "\n"; });
        if (!loaded)
            return EXIT_CONFIG;
        if (values().count("check")) {
            std::cout << values()["config"] << ": configuration is valid\n";
            return EXIT_OK;
        }
        if (values().count("once")) {
            Poco::Logger::setLevel("", Poco::Logger::parseLevel(loaded->plan->host.logLevel));
            const bool allRead = loaded->engine->runOnce();
            logSummary(*loaded->engine);
            loaded.reset();  // hands what it abandoned to AbandonedInstances
            return allRead && AbandonedInstances::process().count() == 0 ? EXIT_OK : EXIT_SOFTWARE;
        }
        return serve(std::move(loaded));
    }

private:
    /// Blocks the signals the service waits for; worker threads inherit the mask, so these signals
    /// reach only sigwait() in serve(). SIGUSR1 is the remote configuration's wake-up call.
    static sigset_t blockServiceSignals() {
        sigset_t signals;
        sigemptyset(&signals);
        for (const int signal : {SIGINT, SIGQUIT, SIGTERM, SIGHUP, SIGUSR1})
            sigaddset(&signals, signal);
        pthread_sigmask(SIG_BLOCK, &signals, nullptr);
        return signals;
    }

    int describe() {
        PluginRegistry registry;
        std::vector<std::string> configured;
        if (values().count("config")) {
            try {
                std::vector<ConfigIssue> ignored;
                configured = readHostSettings(readConfigFile(values()["config"]), ignored).pluginPath;
            } catch (const ConfigFileError& error) {
                std::cerr << error.what() << "\n";
                return EXIT_CONFIG;
            }
        }
        registry.scan(PluginRegistry::searchPath(configured));
        if (values().count("list-plugins")) {
            printPluginList(std::cout, registry);
            return EXIT_OK;
        }
        const std::string format = values().count("format") ? values()["format"] : "text";
        if (format != "text" && format != "markdown") {
            std::cerr << "citysensed: --format: '" << format << "' is not text or markdown\n";
            return EXIT_USAGE;
        }
        if (!printPluginDescription(std::cout, registry, values()["describe"],
                                    format == "markdown" ? DescribeFormat::Markdown : DescribeFormat::Text)) {
            std::cerr << "citysensed: no plugin named '" << values()["describe"]
                      << "' (see --list-plugins)\n";
            for (const auto& error : registry.errorsConcerning(values()["describe"]))
                std::cerr << "  " << error.path << ": " << error.message << "\n";
            return EXIT_USAGE;
        }
        return EXIT_OK;
    }

    /// Runs until SIGTERM, SIGINT or SIGQUIT; SIGHUP reloads the configuration, and a remote
    /// configuration document (RemoteConfig.h) is decided on, and maybe applied, when one arrives.
    int serve(std::unique_ptr<LoadedConfiguration> loaded) {
        auto& log = Poco::Logger::get("citysensed");
        const sigset_t signals = blockServiceSignals();
        const std::string& path = values()["config"];
        // Woken from the control channel's thread; the document is decided on here, between signals.
        RemoteConfig remote(path, [] { ::kill(::getpid(), SIGUSR1); });
        std::mutex loadedMutex;  // the health endpoint reads the configuration that is current
        const StatusSource status = [&] {
            std::vector<InstanceStatus> instances;
            bool remoteConfig = false;
            {
                std::lock_guard<std::mutex> lock(loadedMutex);
                instances = loaded->engine->status();
                remoteConfig = loaded->plan->host.remote.enabled;
            }
            for (auto& abandoned : AbandonedInstances::process().statuses())
                instances.push_back(std::move(abandoned));
            if (remoteConfig)
                instances.push_back(remote.status());
            return instances;
        };
        warnUnloadable(*loaded);
        loaded->start();
        useRemote(remote, *loaded);
        std::unique_ptr<HealthServer> health = startHealth(loaded->plan->host.httpListen, status);
        log.information("running " + std::to_string(loaded->plan->pipelines.size()) + " pipeline(s) for " +
                        stationPath(loaded->plan->host.station));
        notifySystemd("READY=1");
        // Replaces the running configuration with `next`, losing no queued sample.
        const auto switchTo = [&](std::unique_ptr<LoadedConfiguration> next) {
            warnUnloadable(*next);
            next->takeOver(*loaded);  // /health goes on reporting the old configuration while it stops
            {
                std::lock_guard<std::mutex> lock(loadedMutex);
                std::swap(loaded, next);
            }
            useRemote(remote, *loaded);  // before the old configuration's channel goes
            log.information("reloaded: " + std::to_string(loaded->plan->pipelines.size()) +
                            " pipeline(s); the replaced configuration's counts:");
            logSummary(*next->engine);
            next.reset();
        };
        const RemoteConfig::Apply applyRemote = [&](const FragmentText& candidate, bool commit) {
            std::vector<ConfigIssue> issues;
            std::unique_ptr<LoadedConfiguration> next = LoadedConfiguration::build(path, candidate, issues);
            if (next && !next->engine->controlChannel())
                issues.push_back({"", "",
                                  "no sink would offer the control channel remote configuration comes over "
                                  "(the mqtt sink disabled?): the gateway could not be configured remotely "
                                  "again"});
            if (!next || !commit || hasErrors(issues))
                return issues;
            try {
                writeFileAtomically(candidate.path, candidate.text);
            } catch (const std::runtime_error& error) {
                issues.push_back({"", "", error.what()});
                return issues;
            }
            notifySystemd("RELOADING=1");
            log.information("remote configuration: applying " + candidate.path);
            switchTo(std::move(next));
            return issues;
        };
        for (int signal = 0; sigwait(&signals, &signal) == 0 && (signal == SIGHUP || signal == SIGUSR1);) {
            if (signal == SIGUSR1) {
                remote.process(applyRemote);
            } else {
                notifySystemd("RELOADING=1");
                log.information("SIGHUP: reloading " + path);
                std::unique_ptr<LoadedConfiguration> next =
                    LoadedConfiguration::build(path, [&](const std::string& line) { log.error(line); });
                if (next)
                    switchTo(std::move(next));
                else
                    log.error("reload refused: the running configuration stays in effect");
            }
            if (!health || health->address() != loaded->plan->host.httpListen) {
                health.reset();
                health = startHealth(loaded->plan->host.httpListen, status);
            }
            notifySystemd("READY=1");
        }
        notifySystemd("STOPPING=1");
        log.information("stopping: draining queues");
        health.reset();
        loaded->engine->stop();
        logSummary(*loaded->engine);
        loaded.reset();  // hands what it abandoned to AbandonedInstances
        if (const std::size_t abandoned = AbandonedInstances::process().count()) {
            // The process ends, and with it the threads still stuck in their plugins.
            log.error("stopped; " + std::to_string(abandoned) +
                      " instance(s) were abandoned in a call into their plugin that never returned");
            return EXIT_SOFTWARE;
        }
        return EXIT_OK;
    }

    /// Points the remote configuration at the running configuration's settings and control channel.
    static void useRemote(RemoteConfig& remote, const LoadedConfiguration& loaded) {
        try {
            remote.use(loaded.plan->host.station, loaded.plan->host.remote, loaded.engine->controlChannel());
        } catch (const KeyError& error) {
            Poco::Logger::get("citysensed").error("remote configuration off: " + std::string(error.what()));
        }
    }

    /// A junk file in plugin_path is named at every start, not only by --list-plugins, and so is a
    /// plugin library there that is not loaded because of its file name.
    static void warnUnloadable(const LoadedConfiguration& loaded) {
        for (const auto& line : loaded.unloadableLibraries())
            Poco::Logger::get("citysensed").warning(line);
        for (const auto& library : loaded.registry->misnamed())
            Poco::Logger::get("citysensed").notice(library.path + ": " + library.message);
    }

    static std::unique_ptr<HealthServer> startHealth(const std::string& address, const StatusSource& status) {
        if (address.empty())
            return nullptr;
        try {
            auto server = std::make_unique<HealthServer>(address, status);
            Poco::Logger::get("citysensed")
                .information("health endpoint on http://" +
                             net::joinHostPort(net::splitHostPort(address, net::AddressUse::Listen).host,
                                               server->port()) +
                             "/health and /metrics");
            return server;
        } catch (const std::exception& error) {
            // Readings matter more than the endpoint: the host runs on without it.
            Poco::Logger::get("citysensed").error(error.what());
            return nullptr;
        }
    }

    static std::string stationPath(const Station& station) {
        return station.system + "/" + station.city + "/" + station.street;
    }

    static void logSummary(const Engine& engine) {
        auto& log = Poco::Logger::get("citysensed");
        for (const auto& status : engine.status()) {
            std::string counts;
            if (status.name.rfind("driver.", 0) == 0)
                counts =
                    ", read " + std::to_string(status.read) + ", failures " + std::to_string(status.failures);
            else if (status.name.rfind("sink.", 0) == 0)
                counts = ", delivered " + std::to_string(status.delivered) + ", dropped " +
                         std::to_string(status.dropped) + ", failures " + std::to_string(status.failures);
            for (const auto& [reason, count] : status.droppedByReason)
                counts += ", dropped " + std::to_string(count) + " (" + reason + ")";
            for (const auto& [event, count] : status.events)
                counts += ", " + event + " " + std::to_string(count);
            log.information(status.name + " (" + status.plugin + "): " + stateName(status.state) + counts);
        }
    }
};

}  // namespace citysense

POCO_SERVER_MAIN(citysense::Citysensed)
