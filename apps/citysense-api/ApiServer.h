// The HTTP(S) server of citysense-api (Poco::Net::HTTPServer, a bounded thread pool): routes
//   /v1.1, /v1.1/...  the SensorThings API (SensingService), and beside it the air-quality resources
//                     Datastreams(id)/Aggregates, Things(id)/Compliance, Things(id)/AirQualityIndex,
//                     and the CSV exports (ExportService), which stream their answers themselves
//   /latest.geojson   every station's latest values and air-quality index (both AirQualityService)
//   /openapi.json     the OpenAPI 3.0 document of every route (ApiRoutes.h lists them)
//   /health           JSON: whether the readings store answers, and the requests served (503 when it
//                     does not)
//   /metrics          Prometheus text: requests by status code, their durations, refusals
//   /v1.1/live        the live stream, Server-Sent Events for keys with live:read (LiveService),
//                     handed to the live stream's own writer thread once answered
//   /v1.1/admin/...   gateways' remote configuration, for keys with the admin scope (GatewayConfigService)
// and, except for /health and /metrics, admits each request first (AccessControl: keys, rate limits,
// what it may read), and answers anything else with a JSON 404, methods other than GET and HEAD
// (outside /v1.1/admin) with a 405. With a certificate and key it speaks HTTPS only, TLS 1.2 or newer.
#pragma once

#include "ApiSettings.h"
#include "LiveSettings.h"
#include "ReadingsStore.h"
#include "RequestMetrics.h"

#include <memory>
#include <string>

namespace Poco {
class ThreadPool;
namespace Net {
class HTTPServer;
}
}  // namespace Poco

namespace citysense::api {

class ApiServer {
public:
    /// Listens and starts answering. Throws std::runtime_error naming the address when it cannot.
    /// With `live` enabled, it subscribes for the live stream too.
    ApiServer(const ServerSettings& settings, const AccessSettings& access, ReadingsStore& store,
              const LiveSettings& live = {});
    ~ApiServer();

    /// The port actually bound (for port 0).
    unsigned port() const;
    /// "http://127.0.0.1:8280": where it listens.
    std::string url() const;

    /// Takes new access settings (a reload); the listener's own settings need a new ApiServer.
    void reconfigure(const AccessSettings& access);

    /// Stops accepting connections and lets the requests under way finish, for at most `timeout`;
    /// false when some were still running then.
    bool drain(Micros timeout);

    /// What the request handlers share: the store, the metrics, how links start.
    struct Shared;

private:
    std::shared_ptr<Shared> _shared;
    std::unique_ptr<Poco::ThreadPool> _threads;  ///< the server's: outlives it
    std::unique_ptr<Poco::Net::HTTPServer> _server;
    ServerSettings _settings;
};

}  // namespace citysense::api
