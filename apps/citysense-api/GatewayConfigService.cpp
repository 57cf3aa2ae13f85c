#include "GatewayConfigService.h"

#include "ApiRoutes.h"
#include "GatewayConfigJson.h"

#include <remote-config-client/DesiredChanges.h>

#include <Poco/Logger.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/URI.h>

#include <array>
#include <memory>
#include <optional>
#include <set>

namespace citysense::api {

namespace {

constexpr const char* kAdminPrefix = "/admin";
constexpr const char* kRouteForm = "/v1.1/admin/gateways/SYSTEM/CITY/STREET/config";

Poco::Logger& adminLog() {
    return Poco::Logger::get("citysense-api");
}

bool isPart(const std::string& part) {
    return !part.empty() && part.size() <= 64 &&
           part.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.") ==
               std::string::npos;
}

/// "system/city/street" of a path of the route; empty when the path is not one.
std::string gatewayOf(const std::string& path) {
    const std::string prefix = std::string(kVersionPath) + kAdminPrefix + "/gateways/";
    const std::string suffix = "/config";
    if (path.size() <= prefix.size() + suffix.size() || path.compare(0, prefix.size(), prefix) != 0 ||
        path.compare(path.size() - suffix.size(), suffix.size(), suffix) != 0)
        return "";
    const std::string gateway = path.substr(prefix.size(), path.size() - prefix.size() - suffix.size());
    std::array<std::string, 3> parts;
    std::size_t at = 0;
    for (std::size_t part = 0; part < parts.size(); ++part) {
        const std::size_t end = part + 1 < parts.size() ? gateway.find('/', at) : gateway.size();
        if (end == std::string::npos)
            return "";
        parts[part] = gateway.substr(at, end - at);
        if (!isPart(parts[part]))
            return "";
        at = end + 1;
    }
    return gateway;
}

/// The request's body, or nothing when it is longer than kMaxChangesBytes. A longer body is read on
/// and dropped, up to kDrainedBytes, so that its client, still sending, gets the 413 rather than a reset
/// connection.
std::optional<std::string> readBody(Poco::Net::HTTPServerRequest& request) {
    constexpr std::size_t kDrainedBytes = 1024 * 1024;
    std::string body;
    std::istream& in = request.stream();
    char buffer[4096];
    std::size_t total = 0;
    while (total <= kDrainedBytes && (in.read(buffer, sizeof buffer) || in.gcount() > 0)) {
        total += static_cast<std::size_t>(in.gcount());
        if (total <= kMaxChangesBytes)
            body.append(buffer, static_cast<std::size_t>(in.gcount()));
    }
    if (total > kMaxChangesBytes)
        return std::nullopt;
    return body;
}

JsonAnswer documentsAnswer(int status, const Poco::JSON::Object::Ptr& documents) {
    return {status, jsonText(documents)};
}

}  // namespace

struct GatewayConfigService::Parameters {
    Micros wait = 0;
    Micros expires = 24 * 3600 * kMicrosPerSecond;
    bool replace = false;
    std::int64_t version = 0;  ///< 0: the next one

    /// Reads the query; the message names the parameter that is wrong. Throws std::invalid_argument.
    static Parameters read(const Poco::URI::QueryParameters& query) {
        Parameters parameters;
        std::set<std::string> seen;
        for (const auto& [name, value] : query) {
            if (!seen.insert(name).second)
                throw std::invalid_argument(name + ": given twice");
            try {
                if (name == "wait") {
                    parameters.wait = parseDuration(value);
                    if (parameters.wait > kMaxReportWait)
                        throw std::invalid_argument("at most " + formatDuration(kMaxReportWait));
                } else if (name == "expires") {
                    parameters.expires = parseDuration(value);
                } else if (name == "replace") {
                    if (value != "true" && value != "false")
                        throw std::invalid_argument("true or false");
                    parameters.replace = value == "true";
                } else if (name == "version") {
                    std::size_t end = 0;
                    parameters.version = std::stoll(value, &end);
                    if (end != value.size() || parameters.version <= 0)
                        throw std::invalid_argument("a positive integer");
                } else {
                    throw std::invalid_argument("unknown parameter (wait, expires, replace, version)");
                }
            } catch (const std::exception& error) {
                throw std::invalid_argument(name + "=" + value + ": " + error.what());
            }
        }
        return parameters;
    }
};

GatewayConfigService::GatewayConfigService(AdminSettings settings) : _settings(std::move(settings)) {}

bool GatewayConfigService::owns(const std::string& path) {
    const std::string prefix = std::string(kVersionPath) + kAdminPrefix;
    return path.compare(0, prefix.size(), prefix) == 0 &&
           (path.size() == prefix.size() || path[prefix.size()] == '/');
}

JsonAnswer GatewayConfigService::answer(Poco::Net::HTTPServerRequest& request,
                                        Poco::Net::HTTPServerResponse& response, const std::string& path,
                                        const Requester& requester) {
    JsonAnswer answer = decide(request, response, path, requester);
    // What show() and set() did is logged there; a request refused before, here.
    if (_settings.remoteConfig && (answer.status == 400 || answer.status == 401 || answer.status == 403 ||
                                   answer.status == 405 || answer.status == 413))
        adminLog().information(
            "admin: " +
            (requester.keyName.empty() ? std::string("no key") : "key '" + requester.keyName + "'") + ": " +
            request.getMethod() + " " + path + " refused with " + std::to_string(answer.status));
    return answer;
}

JsonAnswer GatewayConfigService::decide(Poco::Net::HTTPServerRequest& request,
                                        Poco::Net::HTTPServerResponse& response, const std::string& path,
                                        const Requester& requester) {
    if (!_settings.remoteConfig)
        return errorAnswer(404, "the admin routes are off: [admin] remote_config turns them on");
    if (requester.keyName.empty()) {
        response.set("WWW-Authenticate", "Bearer realm=\"citysense-api admin\"");
        return errorAnswer(401, "an API key with the admin scope is needed");
    }
    if ((requester.scopes & kAdmin) == 0)
        return errorAnswer(403, "this API key does not have the admin scope");
    const std::string gateway = gatewayOf(path);
    if (gateway.empty())
        return errorAnswer(
            400, "'" + path + "' is not " + kRouteForm + " (each part letters, digits, '_', '-' or '.')");
    const std::string& method = request.getMethod();
    const bool read =
        method == Poco::Net::HTTPRequest::HTTP_GET || method == Poco::Net::HTTPRequest::HTTP_HEAD;
    if (!read && method != Poco::Net::HTTPRequest::HTTP_POST && method != "PATCH") {
        response.set("Allow", "GET, HEAD, POST, PATCH");
        return errorAnswer(405, "GET shows the gateway's configuration, POST or PATCH changes it");
    }
    Parameters parameters;
    try {
        parameters = Parameters::read(Poco::URI(request.getURI()).getQueryParameters());
    } catch (const std::exception& error) {
        return errorAnswer(400, error.what());
    }
    if (read)
        return show(gateway, requester);
    const std::optional<std::string> body = readBody(request);
    if (!body) {
        response.setKeepAlive(false);
        return errorAnswer(413, "the body is larger than " + std::to_string(kMaxChangesBytes) + " bytes");
    }
    return set(gateway, parameters, *body, requester);
}

JsonAnswer GatewayConfigService::show(const std::string& gateway, const Requester& requester) {
    std::lock_guard<std::mutex> lock(_connectionMutex);
    mqtt::Client client(_settings.connection);
    try {
        client.connect();
        const GatewayDocuments documents = readGatewayDocuments(client, gateway, std::chrono::seconds(1));
        client.disconnect(std::chrono::seconds(2));
        const auto json = documentsJson(gateway, documents);
        adminLog().information(
            "admin: key '" + requester.keyName + "' read the configuration of " + gateway + ": " +
            json->getValue<std::string>("state") +
            (documents.reported ? ", reported version " + std::to_string(documents.reported->version) : ""));
        return documentsAnswer(200, json);
    } catch (const std::exception& error) {
        client.disconnect(std::chrono::seconds(2));
        adminLog().warning("admin: key '" + requester.keyName + "' reading the configuration of " + gateway +
                           ": " + error.what());
        return errorAnswer(503,
                           "the broker cannot be reached or does not answer: " + std::string(error.what()));
    }
}

JsonAnswer GatewayConfigService::set(const std::string& gateway, const Parameters& parameters,
                                     const std::string& body, const Requester& requester) {
    std::vector<RequestedChange> changes;
    try {
        changes = readChanges(body);
    } catch (const ChangesError& error) {
        return errorAnswer(400, error.what());
    }
    std::unique_ptr<Ed25519Key> key;
    try {
        key = std::make_unique<Ed25519Key>(Ed25519Key::readPrivate(_settings.signingKey));
    } catch (const KeyError& error) {
        adminLog().error("admin: the operator's signing key: " + std::string(error.what()));
        return errorAnswer(503, "the operator's signing key cannot be read (see the service's log)");
    }
    std::lock_guard<std::mutex> lock(_connectionMutex);
    mqtt::Client client(_settings.connection);
    DesiredDocument document;
    try {
        client.connect();
        const GatewayDocuments current = readGatewayDocuments(client, gateway, std::chrono::seconds(1));
        try {
            document = currentDesired(current, *key, parameters.replace);
        } catch (const std::runtime_error& error) {
            client.disconnect(std::chrono::seconds(2));
            adminLog().warning("admin: key '" + requester.keyName + "' changing " + gateway + ": " +
                               error.what());
            return errorAnswer(409, error.what());
        }
        for (const RequestedChange& change : changes)
            setChange(document.changes, change.section, change.key, change.value);
        stampDesired(document, current, gateway, parameters.version, parameters.expires);
        const std::string envelope = signDocument(document, *key);
        publishDesired(client, gateway, envelope);
        adminLog().information("admin: key '" + requester.keyName + "' published version " +
                               std::to_string(document.version) + " (request " + document.request + ") for " +
                               gateway);
        // Without a wait the gateway has yet to see it: the documents are the new one and the last report.
        const GatewayDocuments documents =
            parameters.wait > 0
                ? awaitReport(client, gateway, std::chrono::milliseconds(parameters.wait / 1000))
                : GatewayDocuments{envelope, current.reported};
        client.disconnect(std::chrono::seconds(2));
        auto json = documentsJson(gateway, documents);
        const std::string state = json->getValue<std::string>("state");
        if (parameters.wait > 0)
            adminLog().information("admin: " + gateway + " version " + std::to_string(document.version) +
                                   ": " + state + " (key '" + requester.keyName + "')");
        return documentsAnswer(state == "pending" ? 202 : 200, json);
    } catch (const std::exception& error) {
        client.disconnect(std::chrono::seconds(2));
        adminLog().warning("admin: key '" + requester.keyName + "' changing " + gateway +
                           (document.version ? " to version " + std::to_string(document.version) : "") +
                           ": " + error.what());
        return errorAnswer(503, "the broker cannot be reached or refused: " + std::string(error.what()));
    }
}

}  // namespace citysense::api
