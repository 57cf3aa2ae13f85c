#include "ApiServer.h"

#include "AccessControl.h"
#include "AirQualityService.h"
#include "ApiRoutes.h"
#include "ExportService.h"
#include "GatewayConfigService.h"
#include "LiveService.h"
#include "MapSite.h"
#include "OpenApiDocument.h"
#include "SensingService.h"
#include "WholeResponse.h"

#include <net/TcpAddress.h>

#include <Poco/Logger.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/ThreadPool.h>
#include <Poco/URI.h>

#include <chrono>
#include <mutex>
#include <thread>
#include <utility>

namespace citysense::api {

using Poco::Net::HTTPServerRequest;
using Poco::Net::HTTPServerResponse;

struct ApiServer::Shared {
    Shared(ReadingsStore& store, const AccessSettings& access, const MapSettings& map,
           const LiveSettings& liveSettings, const AdminSettings& admin, std::string baseUrl,
           std::string scheme, std::string ownAuthority)
        : store(store),
          access(access, store),
          live(liveSettings, store, this->access),
          sensing(store),
          airQuality(store),
          exports(store),
          map(map),
          gatewayConfig(admin),
          baseUrl(std::move(baseUrl)),
          scheme(std::move(scheme)),
          ownAuthority(std::move(ownAuthority)) {}

    ReadingsStore& store;
    AccessControl access;
    LiveService live;
    SensingService sensing;
    AirQualityService airQuality;
    ExportService exports;
    MapSite map;
    GatewayConfigService gatewayConfig;
    RequestMetrics metrics;
    std::string baseUrl;       ///< the configured one, or empty
    std::string scheme;        ///< "http" or "https"
    std::string ownAuthority;  ///< "127.0.0.1:8280", when a request's Host cannot be used
    const Poco::Net::HTTPServer* server = nullptr;  ///< set before it starts
    std::mutex storeErrorMutex;                     ///< for the two below
    Micros lastStoreErrorLogged = 0;                ///< steady time of the last store error logged
    std::uint64_t storeErrorsUnlogged = 0;          ///< store errors since, not logged
};

namespace {

constexpr const char* kJson = "application/json";
// While the store is away every request fails alike: one log line in this time says so.
constexpr Micros kStoreErrorLogInterval = 10 * kMicrosPerSecond;

struct Answer {
    int status = 200;
    std::string contentType = kJson;
    std::string body;
    bool sent = false;  ///< the route answered the request itself (a streamed export)
};

/// The path of the request's target; empty when it does not parse (the route answers that).
std::string targetPath(const HTTPServerRequest& request) {
    try {
        return Poco::URI(request.getURI()).getPath();
    } catch (const Poco::SyntaxException&) {
        return "";
    }
}

/// The request's Host when it is a plain host[:port], else (none, or any other text) where the server
/// listens.
std::string authority(const HTTPServerRequest& request, const std::string& own) {
    const std::string host = request.get(Poco::Net::HTTPRequest::HOST, "");
    const bool plain =
        !host.empty() && host.size() <= 255 &&
        host.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]") ==
            std::string::npos;
    return plain ? host : own;
}

Answer health(ApiServer::Shared& shared) {
    const bool reachable = shared.store.reachable();
    std::string body = std::string("{\"status\":\"") + (reachable ? "ok" : "failing") +
                       "\",\"store\":{\"reachable\":" + (reachable ? "true" : "false") +
                       "},\"requests\":" + std::to_string(shared.metrics.requests()) + "}";
    return {reachable ? 200 : 503, kJson, std::move(body)};
}

std::string metrics(const ApiServer::Shared& shared) {
    return shared.metrics.prometheusText() + shared.access.prometheusText() + shared.live.prometheusText() +
           "# HELP citysense_api_refused_connections_total Connections closed unanswered: every request "
           "thread busy and the queue full\n"
           "# TYPE citysense_api_refused_connections_total counter\n"
           "citysense_api_refused_connections_total " +
           std::to_string(shared.server->refusedConnections()) + "\n";
}

class ApiRequestHandler : public Poco::Net::HTTPRequestHandler {
public:
    explicit ApiRequestHandler(std::shared_ptr<ApiServer::Shared> shared) : _shared(std::move(shared)) {}

    void handleRequest(HTTPServerRequest& request, HTTPServerResponse& response) override {
        const auto start = std::chrono::steady_clock::now();
        Answer answer;
        try {
            const std::string path = targetPath(request);
            const Admission admission = _shared->access.admit(request, path, nowMicros(), steadyMicros());
            for (const auto& [name, value] : admission.headers)
                response.set(name, value);
            if (admission.status != 200) {
                answer = {admission.status, kJson, admission.body};
            } else if (GatewayConfigService::owns(path)) {
                answer = fromJson(_shared->gatewayConfig.answer(
                    request, response, path,
                    {admission.key ? admission.key->name : "", admission.key ? admission.key->scopes : 0}));
            } else {
                const ReadingsAccessScope scope(admission.readings);
                answer = route(request, response, admission);
            }
            // The live stream and the admin routes check the key's scope themselves: counted alike.
            if (admission.status == 200)
                _shared->access.countRouteRefusal(answer.status);
        } catch (const Poco::Exception& error) {
            logStoreError(error);
            answer = fromJson(errorAnswer(503, "the readings store cannot be read now"));
        }
        if (answer.sent) {
            _shared->metrics.record(
                answer.status,
                std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
            return;
        }
        if (answer.status == 405 && !response.has("Allow"))
            response.set("Allow", "GET, HEAD");
        response.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(answer.status));
        response.setContentType(answer.contentType);
        // Counted before it goes: a client that has its answer finds it in /health and /metrics.
        _shared->metrics.record(
            answer.status, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
        sendWhole(request, response, answer.body);
    }

private:
    void logStoreError(const Poco::Exception& error) {
        std::uint64_t unlogged = 0;
        {
            std::lock_guard<std::mutex> lock(_shared->storeErrorMutex);
            const Micros now = steadyMicros();
            if (_shared->lastStoreErrorLogged != 0 &&
                now - _shared->lastStoreErrorLogged < kStoreErrorLogInterval) {
                ++_shared->storeErrorsUnlogged;
                return;
            }
            _shared->lastStoreErrorLogged = now;
            unlogged = std::exchange(_shared->storeErrorsUnlogged, 0);
        }
        Poco::Logger::get("citysense-api")
            .error("the readings store failed: " + error.displayText() +
                   (unlogged ? " (and " + std::to_string(unlogged) + " times more since the last such line)"
                             : ""));
    }

    static Answer fromJson(JsonAnswer json) { return {json.status, kJson, std::move(json.body)}; }
    static Answer fromAirQuality(AirQualityAnswer answer) {
        return {answer.status, std::move(answer.contentType), std::move(answer.body)};
    }

    Answer route(HTTPServerRequest& request, HTTPServerResponse& response, const Admission& admission) {
        const std::string& method = request.getMethod();
        if (method != Poco::Net::HTTPRequest::HTTP_GET && method != Poco::Net::HTTPRequest::HTTP_HEAD)
            return fromJson(errorAnswer(405, "only GET and HEAD: the API is read-only"));
        std::string path;
        Poco::URI::QueryParameters parameters;
        std::string query;  // as sent: the SensorThings options are decoded by their own parser
        try {
            const Poco::URI uri(request.getURI());
            path = uri.getPath();
            parameters = uri.getQueryParameters();
            query = uri.getRawQuery();
        } catch (const Poco::SyntaxException& error) {
            return fromJson(errorAnswer(400, "malformed request target: " + error.message()));
        }
        if (MapSite::owns(path))
            return {_shared->map.serve(path, request, response), "", "", true};
        const std::string version = kVersionPath;
        const std::string root =
            (_shared->baseUrl.empty() ? _shared->scheme + "://" + authority(request, _shared->ownAuthority)
                                      : _shared->baseUrl) +
            version;
        if (const auto service = servicePath(path)) {
            switch (*service) {
                case ServicePath::Health:
                    return health(*_shared);
                case ServicePath::Metrics:
                    return {200, "text/plain; version=0.0.4", metrics(*_shared)};
                case ServicePath::LatestGeoJson:
                    return fromAirQuality(_shared->airQuality.latest(parameters, root));
                case ServicePath::OpenApi:
                    return {200, kJson, openApiDocument()};
                case ServicePath::Live:
                    return {_shared->live.serve(admission, parameters, request, response), "", "", true};
            }
        }
        if (path.compare(0, version.size(), version) != 0 ||
            (path.size() > version.size() && path[version.size()] != '/'))
            return fromJson(errorAnswer(404, "nothing here: the API is under /v1.1"));
        const std::string below = path.size() > version.size() ? path.substr(version.size() + 1) : "";
        if (const auto status = _shared->exports.serve(below, parameters, request, response))
            return {*status, "", "", true};
        if (auto answer = _shared->airQuality.answer(below, parameters, root))
            return fromAirQuality(std::move(*answer));
        return fromJson(_shared->sensing.answer(below, query, root));
    }

    std::shared_ptr<ApiServer::Shared> _shared;
};

class Factory : public Poco::Net::HTTPRequestHandlerFactory {
public:
    explicit Factory(std::shared_ptr<ApiServer::Shared> shared) : _shared(std::move(shared)) {}

    Poco::Net::HTTPRequestHandler* createRequestHandler(const HTTPServerRequest&) override {
        return new ApiRequestHandler(_shared);
    }

private:
    std::shared_ptr<ApiServer::Shared> _shared;
};

Poco::Net::ServerSocket listen(const ServerSettings& settings) {
    const Poco::Net::SocketAddress address(settings.listenAddress, static_cast<Poco::UInt16>(settings.port));
    if (settings.certificateFile.empty())
        return Poco::Net::ServerSocket(address);
    static std::once_flag once;
    std::call_once(once, [] { Poco::Net::initializeSSL(); });
    Poco::Net::Context::Ptr context =
        new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE, settings.keyFile, settings.certificateFile,
                               "", Poco::Net::Context::VERIFY_NONE);
    context->requireMinimumProtocol(Poco::Net::Context::PROTO_TLSV1_2);
    context->preferServerCiphers();
    return Poco::Net::SecureServerSocket(address, 64, context);
}

}  // namespace

ApiServer::ApiServer(const ServerSettings& settings, const AccessSettings& access, ReadingsStore& store,
                     const LiveSettings& live)
    : _settings(settings) {
    Poco::Net::ServerSocket socket;
    try {
        socket = listen(settings);
    } catch (const Poco::Exception& error) {
        throw std::runtime_error("cannot listen on " + settings.listenAddress + " port " +
                                 std::to_string(settings.port) + ": " + error.displayText());
    }
    _settings.port = socket.address().port();
    _shared = std::make_shared<Shared>(store, access, settings.map, live, settings.admin, settings.baseUrl,
                                       settings.certificateFile.empty() ? "http" : "https",
                                       net::joinHostPort(settings.listenAddress, _settings.port));
    Poco::Net::HTTPServerParams::Ptr parameters = new Poco::Net::HTTPServerParams;
    parameters->setMaxThreads(settings.threads);
    parameters->setMaxQueued(256);
    parameters->setTimeout(Poco::Timespan(10, 0));  // the longest wait for a request's next bytes
    parameters->setKeepAliveTimeout(Poco::Timespan(5, 0));
    parameters->setServerName("citysense-api");
    _threads = std::make_unique<Poco::ThreadPool>(2, settings.threads);
    _server = std::make_unique<Poco::Net::HTTPServer>(new Factory(_shared), *_threads, socket, parameters);
    _shared->server = _server.get();
    _server->start();
}

ApiServer::~ApiServer() {
    _shared->live.endAll();
    if (!_server)
        return;
    _server->stopAll(true);
    // A connection accepted just before the stop has a pool thread assigned to the server's dispatcher,
    // holding a reference to it; destroying the pool before that thread ran would leak the dispatcher
    // (and through its factory everything the server shares). Let every assigned thread run (they end at
    // once now) first.
    _threads->joinAll();
}

unsigned ApiServer::port() const {
    return _settings.port;
}

std::string ApiServer::url() const {
    return _shared->scheme + "://" + _shared->ownAuthority;
}

void ApiServer::reconfigure(const AccessSettings& access) {
    _shared->access.reconfigure(access);
}

bool ApiServer::drain(Micros timeout) {
    _shared->live.endAll();   // streams end at once; the requests under way may finish
    _server->stopAll(false);  // no new connections; kept-alive ones end after their request
    const auto end = std::chrono::steady_clock::now() + std::chrono::microseconds(timeout);
    while (_server->currentConnections() > 0 && std::chrono::steady_clock::now() < end)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    return _server->currentConnections() == 0;
}

}  // namespace citysense::api
