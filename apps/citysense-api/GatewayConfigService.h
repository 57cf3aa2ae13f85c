// The admin routes of citysense-api: gateways' remote configuration (DESIGN.md, Remote configuration)
// for keys with the `admin` scope, doing what citysense-ctl does with the same library:
//   GET  /v1.1/admin/gateways/SYSTEM/CITY/STREET/config   the desired and reported documents and the
//                                                         state, as `citysense-ctl config show`
//   POST /v1.1/admin/gateways/SYSTEM/CITY/STREET/config   (or PATCH) a JSON body of changes put on the
//        [?wait=5s&expires=1d&replace=true&version=N]     current desired document, signed with the
//                                                         operator's key and published retained, as
//                                                         `citysense-ctl config set`; with wait, the
//                                                         gateway's report once it has decided
// Answers: 401 without a key, 403 for a key without admin, 400 naming a bad path, parameter or body, 413
// for a body over 64 KiB, 409 when the current desired document was not signed with the operator's key,
// 503 when the broker cannot be reached, 404 with [admin] remote_config off. Each request connects as
// the operator identity, one at a time (the broker lets an identity hold one connection), and is logged
// with the key's name, never the key, the gateway and the version.
#pragma once

#include "AdminSettings.h"
#include "ApiKeys.h"
#include "SensingService.h"

#include <engine/SignedDocument.h>

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <mutex>
#include <string>

namespace citysense::api {

/// The largest request body taken: the signed document it becomes is bounded by the same figure.
constexpr std::size_t kMaxChangesBytes = kMaxSignedDocumentBytes;

/// The longest ?wait= for a gateway's report.
constexpr Micros kMaxReportWait = 30 * kMicrosPerSecond;

/// Who is asking: the name of the request's key (empty: none) and its scopes.
struct Requester {
    std::string keyName;
    Scopes scopes = 0;
};

class GatewayConfigService {
public:
    explicit GatewayConfigService(AdminSettings settings);

    /// Whether `path` is one of the admin routes' (under /v1.1/admin).
    static bool owns(const std::string& path);

    /// Answers the request for `path`, an owned one.
    JsonAnswer answer(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
                      const std::string& path, const Requester& requester);

private:
    struct Parameters;

    /// The answer, before it is logged.
    JsonAnswer decide(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
                      const std::string& path, const Requester& requester);
    JsonAnswer show(const std::string& gateway, const Requester& requester);
    JsonAnswer set(const std::string& gateway, const Parameters& parameters, const std::string& body,
                   const Requester& requester);

    AdminSettings _settings;
    std::mutex _connectionMutex;  ///< the operator identity holds one connection at a time
};

}  // namespace citysense::api
