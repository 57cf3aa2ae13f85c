// citysense-api: the city's read-only HTTP(S) API over the readings store (OGC SensorThings API 1.1).
// Reads its configuration ([api], [store]), opens the store read-only, answers until SIGTERM or
// SIGINT, then lets the requests under way finish before it exits. Tells systemd when it is ready.
#include "ApiServer.h"
#include "ApiSettings.h"
#include "ReadingsStore.h"

#include <engine/Plan.h>
#include <engine/ServiceApplication.h>
#include <engine/SystemdNotify.h>

#include <Poco/Logger.h>

#include <iostream>
#include <optional>

namespace citysense::api {

class CitysenseApi : public ServiceApplication {
public:
    CitysenseApi()
        : ServiceApplication(
              "citysense-api", "-c FILE [--check | --daemon [--pidfile FILE]]",
              "The citysense city data API: the readings store over HTTP(S), as OGC SensorThings API 1.1.") {}

protected:
    int main(const ArgVec& arguments) override {
        if (helpShown())
            return EXIT_OK;
        if (!arguments.empty()) {
            std::cerr << "citysense-api: unexpected argument '" << arguments.front() << "' (see --help)\n";
            return EXIT_USAGE;
        }
        if (!values().count("config")) {
            std::cerr << "citysense-api: no configuration given: use -c FILE (see --help)\n";
            return EXIT_USAGE;
        }
        const std::optional<ApiSettings> settings = load(values()["config"]);
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
};

}  // namespace citysense::api

POCO_SERVER_MAIN(citysense::api::CitysenseApi)
