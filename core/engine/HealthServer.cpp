#include "HealthServer.h"

#include <citysense/Format.h>

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>

#include <algorithm>
#include <sstream>

namespace citysense {

namespace {

bool failing(const InstanceStatus& status) {
    return status.state == InstanceState::Failing;
}

bool isDriver(const InstanceStatus& status) {
    return status.name.rfind("driver.", 0) == 0;
}

std::string label(const std::string& text) {
    std::string out;
    for (const char c : text) {
        if (c == '\\' || c == '"')
            out += '\\';
        if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
    return out;
}

using Metric = std::uint64_t InstanceStatus::*;

void family(std::ostringstream& out, const std::vector<InstanceStatus>& instances, const char* name,
            const char* type, const char* help, Metric metric, bool drivers) {
    out << "# HELP " << name << " " << help << "\n# TYPE " << name << " " << type << "\n";
    for (const auto& status : instances) {
        if (isDriver(status) == drivers)
            out << name << "{instance=\"" << label(status.name) << "\",plugin=\"" << label(status.plugin)
                << "\"} " << status.*metric << "\n";
    }
}

}  // namespace

std::string healthJson(const std::vector<InstanceStatus>& instances) {
    const bool anyFailing = std::any_of(instances.begin(), instances.end(), failing);
    std::ostringstream out;
    out << "{\"status\":\"" << (anyFailing ? "failing" : "ok") << "\",\"instances\":[";
    for (std::size_t i = 0; i < instances.size(); ++i) {
        const InstanceStatus& status = instances[i];
        out << (i ? "," : "") << "{\"name\":" << jsonString(status.name)
            << ",\"plugin\":" << jsonString(status.plugin) << ",\"state\":\"" << stateName(status.state)
            << "\",\"message\":" << jsonString(status.message) << ",\"failures\":" << status.failures;
        if (isDriver(status))
            out << ",\"read\":" << status.read;
        else
            out << ",\"delivered\":" << status.delivered << ",\"dropped\":" << status.dropped
                << ",\"queued\":" << status.queued << ",\"spooled\":" << status.spooled
                << ",\"spool_pending\":" << status.spoolPending;
        out << "}";
    }
    out << "]}";
    return out.str();
}

std::string prometheusText(const std::vector<InstanceStatus>& instances) {
    std::ostringstream out;
    out << "# HELP citysense_instance_failing 1 while the instance is failing and backing off\n"
        << "# TYPE citysense_instance_failing gauge\n";
    for (const auto& status : instances)
        out << "citysense_instance_failing{instance=\"" << label(status.name) << "\",plugin=\""
            << label(status.plugin) << "\"} " << (failing(status) ? 1 : 0) << "\n";
    family(out, instances, "citysense_failures_total", "counter", "Failed reads of a driver",
           &InstanceStatus::failures, true);
    family(out, instances, "citysense_samples_read_total", "counter", "Samples a driver read",
           &InstanceStatus::read, true);
    family(out, instances, "citysense_sink_failures_total", "counter", "Failed writes of a sink",
           &InstanceStatus::failures, false);
    family(out, instances, "citysense_samples_delivered_total", "counter", "Samples a sink delivered",
           &InstanceStatus::delivered, false);
    family(out, instances, "citysense_samples_dropped_total", "counter",
           "Samples a sink dropped (queue or spool full, damaged in the spool, or undeliverable at shutdown)",
           &InstanceStatus::dropped, false);
    family(out, instances, "citysense_queue_depth", "gauge", "Samples waiting in a sink's queue",
           &InstanceStatus::queued, false);
    family(out, instances, "citysense_samples_spooled_total", "counter",
           "Samples a sink wrote to its durable spool", &InstanceStatus::spooled, false);
    family(out, instances, "citysense_spool_depth", "gauge", "Samples waiting in a sink's durable spool",
           &InstanceStatus::spoolPending, false);
    return out.str();
}

namespace {

class Handler : public Poco::Net::HTTPRequestHandler {
public:
    explicit Handler(const StatusSource& source) : _source(source) {}

    void handleRequest(Poco::Net::HTTPServerRequest& request,
                       Poco::Net::HTTPServerResponse& response) override {
        using Poco::Net::HTTPResponse;
        std::string body;
        if (request.getMethod() != "GET" && request.getMethod() != "HEAD") {
            response.setStatus(HTTPResponse::HTTP_METHOD_NOT_ALLOWED);
            response.set("Allow", "GET, HEAD");
            body = "only GET and HEAD are served here\n";
            response.setContentType("text/plain");
        } else if (request.getURI() == "/health") {
            const auto instances = _source();
            body = healthJson(instances) + "\n";
            if (std::any_of(instances.begin(), instances.end(), failing))
                response.setStatus(HTTPResponse::HTTP_SERVICE_UNAVAILABLE);
            response.setContentType("application/json");
        } else if (request.getURI() == "/metrics") {
            body = prometheusText(_source());
            response.setContentType("text/plain; version=0.0.4");
        } else {
            response.setStatus(HTTPResponse::HTTP_NOT_FOUND);
            response.setContentType("text/plain");
            body = "no such resource: " + request.getURI() + " (try /health or /metrics)\n";
        }
        response.setContentLength(static_cast<std::streamsize>(body.size()));
        std::ostream& out = response.send();
        if (request.getMethod() != "HEAD")
            out << body;
    }

private:
    const StatusSource& _source;
};

class Factory : public Poco::Net::HTTPRequestHandlerFactory {
public:
    explicit Factory(StatusSource source) : _source(std::move(source)) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
        return new Handler(_source);
    }

private:
    StatusSource _source;
};

}  // namespace

HealthServer::HealthServer(const std::string& address, StatusSource source) : _address(address) {
    try {
        // Not Poco's default SO_REUSEPORT: a second host on the same port must fail, not share it.
        Poco::Net::ServerSocket socket;
        socket.bind(Poco::Net::SocketAddress(address), true, false);
        socket.listen();
        _port = socket.address().port();
        auto* params = new Poco::Net::HTTPServerParams;
        params->setMaxThreads(4);
        params->setMaxQueued(16);
        params->setKeepAlive(false);  // an idle scraper must not hold a thread
        params->setTimeout(Poco::Timespan(5, 0));
        _server = std::make_unique<Poco::Net::HTTPServer>(new Factory(std::move(source)), socket, params);
        _server->start();
    } catch (const Poco::Exception& error) {
        throw std::runtime_error("health endpoint on " + address + ": " + error.displayText());
    }
}

HealthServer::~HealthServer() {
    if (_server)
        _server->stopAll(true);
}

}  // namespace citysense
