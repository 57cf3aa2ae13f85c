// citysense-api: the city's read-only HTTP(S) API over the readings store (OGC SensorThings API 1.1).
// Reads its configuration ([api], [store]), opens the store read-only, answers until SIGTERM or
// SIGINT, then lets the requests under way finish before it exits. SIGHUP reads the configuration
// again: a file with problems is reported and the running configuration kept; the keys file, embargo,
// rate limits and log level change at once, the listener, the store and the live stream's [live]
// section only with a restart (the log says so). Tells systemd when it is ready. `keys ...` manages the keys
// file instead (KeyCommands.h).
#include "ApiServer.h"
#include "ApiSettings.h"
#include "KeyCommands.h"
#include "ReadingsStore.h"

#include <engine/Plan.h>
#include <engine/ServiceApplication.h>
#include <engine/SystemdNotify.h>

#include <Poco/Logger.h>

#include <csignal>
#include <functional>
#include <iostream>
#include <optional>

namespace citysense::api {

class CitysenseApi : public ServiceApplication {
public:
    CitysenseApi()
        : ServiceApplication(
              "citysense-api",
              "-c FILE [--check | --daemon [--pidfile FILE] | keys add NAME --scopes LIST [--stations LIST] "
              "[--expires TIME] [--rate LIMIT] [--max-streams N] | keys list | keys revoke NAME]",
              "The citysense city data API: the readings store over HTTP(S), as OGC SensorThings API 1.1.") {}

protected:
    void defineOptions(Poco::Util::OptionSet& options) override {
        ServiceApplication::defineOptions(options);
        addValueOption(options, "scopes", "keys add: live:read, history:read, admin (comma-separated)",
                       "LIST");
        addValueOption(options, "stations",
                       "keys add: the stations the key may see, system/city/street patterns with * and ? "
                       "(comma-separated; default: all)",
                       "LIST");
        addValueOption(options, "expires",
                       "keys add: when the key stops working: an ISO 8601 time or a duration "
                       "from now (90d)",
                       "TIME");
        addValueOption(options, "rate", "keys add: the key's rate limit, e.g. 600/min, 20000/h", "LIMIT");
        addValueOption(options, "max-streams",
                       "keys add: live streams the key may have open at once (default: [live] "
                       "max_streams_per_key)",
                       "N");
    }

    int main(const ArgVec& arguments) override {
        if (helpShown())
            return EXIT_OK;
        if (!arguments.empty() && arguments.front() == "keys") {
            if (!values().count("config")) {
                std::cerr << "citysense-api: keys: use -c FILE, the configuration that names the keys_file\n";
                return EXIT_USAGE;
            }
            const std::optional<ApiSettings> settings = load(values()["config"], printProblem);
            if (!settings)
                return EXIT_CONFIG;
            return runKeyCommand(arguments, values(), settings->access.keysFile, std::cout, std::cerr);
        }
        if (!arguments.empty()) {
            std::cerr << "citysense-api: unexpected argument '" << arguments.front() << "' (see --help)\n";
            return EXIT_USAGE;
        }
        if (!values().count("config")) {
            std::cerr << "citysense-api: no configuration given: use -c FILE (see --help)\n";
            return EXIT_USAGE;
        }
        const std::optional<ApiSettings> settings = load(values()["config"], printProblem);
        if (!settings)
            return EXIT_CONFIG;
        if (values().count("check")) {
            std::cout << values()["config"] << ": configuration is valid\n";
            return EXIT_OK;
        }
        Poco::Logger::setLevel("", Poco::Logger::parseLevel(settings->server.logLevel));
        return serve(*settings);
    }

private:
    using Report = std::function<void(const std::string&)>;

    static void printProblem(const std::string& line) { std::cerr << line << "\n"; }

    static bool liveChanged(const LiveSettings& next, const LiveSettings& running) {
        const auto& a = next.connection;
        const auto& b = running.connection;
        return next.enabled != running.enabled || next.topics != running.topics ||
               next.topicTemplate != running.topicTemplate || next.format != running.format ||
               next.driver != running.driver || next.windowEvents != running.windowEvents ||
               next.windowAge != running.windowAge || next.queueEvents != running.queueEvents ||
               next.maxStreamsPerKey != running.maxStreamsPerKey || next.maxStreams != running.maxStreams ||
               next.keepAlive != running.keepAlive || a.uri != b.uri || a.username != b.username ||
               a.password != b.password || a.caFile != b.caFile || a.clientId != b.clientId;
    }

    /// The settings, or nothing after reporting every problem of the file.
    static std::optional<ApiSettings> load(const std::string& path, const Report& report) {
        try {
            std::vector<ConfigIssue> issues;
            ApiSettings settings = readApiSettings(readConfigFile(path), issues);
            for (const auto& issue : issues)
                report(formatIssue(path, issue));
            if (hasErrors(issues))
                return std::nullopt;
            return settings;
        } catch (const ConfigFileError& error) {
            report(error.what());
            return std::nullopt;
        }
    }

    /// Blocks the signals the service waits for; the server's threads inherit the mask, so these
    /// signals reach only sigwait() in serve().
    static sigset_t blockServiceSignals() {
        sigset_t signals;
        sigemptyset(&signals);
        for (const int signal : {SIGINT, SIGQUIT, SIGTERM, SIGHUP})
            sigaddset(&signals, signal);
        pthread_sigmask(SIG_BLOCK, &signals, nullptr);
        return signals;
    }

    /// Reads the configuration again and applies what can change while running.
    void reload(ApiSettings& running, ApiServer& server) {
        auto& log = Poco::Logger::get("citysense-api");
        log.information("SIGHUP: reloading " + values()["config"]);
        const std::optional<ApiSettings> next =
            load(values()["config"], [&](const std::string& line) { log.error(line); });
        if (!next) {
            log.error("reload refused: the running configuration stays in effect");
            return;
        }
        const ServerSettings& listener = next->server;
        if (listener.listenAddress != running.server.listenAddress || listener.port != running.server.port ||
            listener.certificateFile != running.server.certificateFile ||
            listener.keyFile != running.server.keyFile || listener.threads != running.server.threads ||
            listener.baseUrl != running.server.baseUrl)
            log.warning(
                "reload: listen_address, port, base_url, certificate_file, key_file and threads take "
                "effect only when citysense-api is restarted");
        if (next->store.sqlite != running.store.sqlite ||
            next->store.connection != running.store.connection ||
            next->store.password != running.store.password)
            log.warning("reload: the [store] section takes effect only when citysense-api is restarted");
        if (liveChanged(next->live, running.live))
            log.warning("reload: the [live] section takes effect only when citysense-api is restarted");
        server.reconfigure(next->access);
        Poco::Logger::setLevel("", Poco::Logger::parseLevel(next->server.logLevel));
        running.access = next->access;
        running.server.logLevel = next->server.logLevel;
        running.server.drainTimeout = next->server.drainTimeout;
        log.information("reloaded: embargo " + formatDuration(running.access.embargo) + ", keys file " +
                        (running.access.keysFile.empty() ? "none" : running.access.keysFile) +
                        ", rate limit " + formatRateLimit(running.access.anonymousRate) + " per address, " +
                        formatRateLimit(running.access.keyRate) + " per key");
    }

    int serve(ApiSettings settings) {
        auto& log = Poco::Logger::get("citysense-api");
        const sigset_t signals = blockServiceSignals();
        std::unique_ptr<ReadingsStore> store;
        std::unique_ptr<ApiServer> server;
        try {
            store = std::make_unique<ReadingsStore>(settings.store);
            server = std::make_unique<ApiServer>(settings.server, settings.access, *store, settings.live);
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
        for (int signal = 0; sigwait(&signals, &signal) == 0 && signal == SIGHUP;) {
            notifySystemd("RELOADING=1");
            reload(settings, *server);
            notifySystemd("READY=1");
        }
        notifySystemd("STOPPING=1");
        log.information("stopping: letting the requests under way finish");
        if (!server->drain(settings.server.drainTimeout))
            log.warning("requests still running after drain_timeout: they are cut off");
        server.reset();
        log.information("stopped");
        return EXIT_OK;
    }
};

}  // namespace citysense::api

POCO_SERVER_MAIN(citysense::api::CitysenseApi)
