// Who may read what, and how often, decided for each request before it is answered:
// - the key, from "Authorization: Bearer KEY" or "X-API-Key: KEY" (none: anonymous); an unknown or
//   expired key is a 401 whose JSON says which, a key with neither live:read nor history:read a 403
//   (except on the admin routes, which check for the admin scope themselves: GatewayConfigService.h);
// - the rate: token buckets per key, or per client address for anonymous requests and unknown keys,
//   a 429 with Retry-After when they are empty, and the X-RateLimit-* headers on every answer;
// - what the request may read (ReadingsAccess): readings older than the embargo, unless the key has
//   live:read; only the stations the key's patterns match, when it has any.
// /health and /metrics are outside all this: they are neither limited nor refused. Every refusal is
// counted for /metrics, also those of the routes that check a scope themselves (countRouteRefusal). No key,
// nor any part of one, is ever written to the log.
#pragma once

#include "ApiSettings.h"
#include "KeyFile.h"
#include "RateLimiter.h"
#include "ReadingsAccess.h"
#include "ReadingsStore.h"

#include <Poco/Net/HTTPServerRequest.h>

#include <array>
#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace citysense::api {

struct Admission {
    int status = 200;  ///< 200: answer the request; else refuse it with this status and `body`
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;  ///< for the answer, either way
    ReadingsAccess readings;
    std::optional<ApiKey> key;  ///< the key the request presented, when it is valid
};

class AccessControl {
public:
    AccessControl(const AccessSettings& settings, ReadingsStore& store);

    /// Takes new settings (a reload): the keys file, embargo and limits count from the next request.
    void reconfigure(const AccessSettings& settings);

    /// What `request` (for `path`) may do; `now` is the wall-clock time, `steady` the monotonic one.
    Admission admit(const Poco::Net::HTTPServerRequest& request, const std::string& path, Micros now,
                    Micros steady);

    /// The keys as they stand now (the keys file read again when it changed): for the live streams,
    /// which outlast their requests' admissions, to check theirs against.
    std::shared_ptr<const KeySet> keys();

    /// Counts a refusal of a route that checks the key's scope itself (the live stream, the admin
    /// routes) on a request this admitted: 401 (no key) and 403 (a missing scope); other statuses are
    /// not refusals.
    void countRouteRefusal(int status);

    /// The Prometheus text of the refusals and of the address table.
    std::string prometheusText() const;

private:
    enum Refusal { UnknownKey, ExpiredKey, MissingScope, RateLimited, MissingKey, kRefusals };

    Admission refuse(Refusal refusal, int status, const std::string& message, Admission admission);
    /// The ids of the stations `patterns` match.
    std::vector<std::int64_t> stationsMatching(const std::vector<std::string>& patterns);

    ReadingsStore& _store;
    mutable std::mutex _mutex;  ///< for the two below
    std::shared_ptr<const AccessSettings> _settings;
    std::shared_ptr<KeyRing> _keys;
    std::shared_ptr<const KeySet> _keysSeen;  ///< the key set the rate limiter was last pruned for
    RateLimiter _limiter;
    std::array<std::atomic<std::uint64_t>, kRefusals> _refused{};
};

}  // namespace citysense::api
