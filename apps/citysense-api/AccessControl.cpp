#include "AccessControl.h"

#include "ApiRoutes.h"
#include "GatewayConfigService.h"
#include "SensingService.h"

#include <Poco/String.h>

#include <set>
#include <sstream>

namespace citysense::api {

namespace {

constexpr std::array<const char*, 5> kRefusalNames = {"unknown_key", "expired_key", "missing_scope",
                                                      "rate_limited", "missing_key"};

/// The key the request presents; empty when it presents none.
std::string presentedKey(const Poco::Net::HTTPServerRequest& request) {
    const std::string authorization = request.get("Authorization", "");
    if (authorization.size() > 7 && Poco::icompare(authorization.substr(0, 7), "Bearer ") == 0)
        return Poco::trim(authorization.substr(7));
    return Poco::trim(request.get("X-API-Key", ""));
}

void addRateHeaders(Admission& admission, const RateDecision& decision) {
    admission.headers.emplace_back("X-RateLimit-Limit", std::to_string(decision.limit));
    admission.headers.emplace_back("X-RateLimit-Remaining", std::to_string(decision.remaining));
    admission.headers.emplace_back("X-RateLimit-Reset", std::to_string(decision.reset));
    if (!decision.allowed)
        admission.headers.emplace_back("Retry-After", std::to_string(decision.retryAfter));
}

}  // namespace

AccessControl::AccessControl(const AccessSettings& settings, ReadingsStore& store)
    : _store(store),
      _settings(std::make_shared<const AccessSettings>(settings)),
      _keys(std::make_shared<KeyRing>(settings.keysFile)),
      _limiter(settings.clients) {
    _keysSeen = _keys->keys();  // read (and logged) now, not at the first request
}

void AccessControl::reconfigure(const AccessSettings& settings) {
    std::lock_guard<std::mutex> lock(_mutex);
    if (settings.keysFile != _settings->keysFile)
        _keys = std::make_shared<KeyRing>(settings.keysFile);
    _settings = std::make_shared<const AccessSettings>(settings);
    _limiter.setAddressCapacity(settings.clients);
}

Admission AccessControl::refuse(Refusal refusal, int status, const std::string& message,
                                Admission admission) {
    ++_refused[refusal];
    admission.status = status;
    admission.body = errorAnswer(status, message).body;
    if (status == 401)
        admission.headers.emplace_back(
            "WWW-Authenticate", "Bearer error=\"invalid_token\", error_description=\"" + message + "\"");
    return admission;
}

Admission AccessControl::admit(const Poco::Net::HTTPServerRequest& request, const std::string& path,
                               Micros now, Micros steady) {
    Admission admission;
    const auto service = servicePath(path);
    if (service == ServicePath::Health || service == ServicePath::Metrics)
        return admission;
    std::shared_ptr<const AccessSettings> settings;
    std::shared_ptr<KeyRing> ring;
    {
        std::lock_guard<std::mutex> lock(_mutex);
        settings = _settings;
        ring = _keys;
    }
    const std::shared_ptr<const KeySet> keys = ring->keys();
    {
        std::lock_guard<std::mutex> lock(_mutex);
        if (keys != _keysSeen) {
            std::set<std::string> names;
            for (const ApiKey& key : *keys)
                names.insert(key.name);
            _limiter.keepKeys(names);
            _keysSeen = keys;
        }
    }
    admission.readings.readingsBefore = now - settings->embargo;
    const std::string presented = presentedKey(request);
    const ApiKey* key = presented.empty() ? nullptr : findKey(*keys, presented);
    if (!key || key->expiredAt(now)) {
        const RateDecision decision = _limiter.takeForAddress(request.clientAddress().host().toString(),
                                                              settings->anonymousRate, steady);
        addRateHeaders(admission, decision);
        if (!decision.allowed)
            return refuse(RateLimited, 429,
                          "too many requests: try again in " + std::to_string(decision.retryAfter) + " s",
                          std::move(admission));
        if (!presented.empty() && !key)
            return refuse(UnknownKey, 401, "unknown API key", std::move(admission));
        if (key)
            return refuse(ExpiredKey, 401,
                          "expired API key: it was valid until " + formatIsoTime(*key->expires),
                          std::move(admission));
        return admission;
    }
    const RateDecision decision =
        _limiter.takeForKey(key->name, key->rate ? *key->rate : settings->keyRate, steady);
    addRateHeaders(admission, decision);
    if (!decision.allowed)
        return refuse(
            RateLimited, 429,
            "too many requests for this key: try again in " + std::to_string(decision.retryAfter) + " s",
            std::move(admission));
    if (!key->allows(kLiveRead) && !key->allows(kHistoryRead) && !GatewayConfigService::owns(path))
        return refuse(MissingScope, 403, "this API key has neither the live:read nor the history:read scope",
                      std::move(admission));
    if (key->allows(kLiveRead))
        admission.readings.readingsBefore.reset();
    if (!key->stations.empty())
        admission.readings.stations = stationsMatching(key->stations);
    admission.key = *key;
    return admission;
}

std::shared_ptr<const KeySet> AccessControl::keys() {
    std::shared_ptr<KeyRing> ring;
    {
        std::lock_guard<std::mutex> lock(_mutex);
        ring = _keys;
    }
    return ring->keys();
}

void AccessControl::countRouteRefusal(int status) {
    if (status == 401)
        ++_refused[MissingKey];
    else if (status == 403)
        ++_refused[MissingScope];
}

std::vector<std::int64_t> AccessControl::stationsMatching(const std::vector<std::string>& patterns) {
    constexpr std::size_t kPage = 10000;
    std::vector<std::int64_t> ids;
    std::optional<std::int64_t> after;
    for (;;) {
        const std::vector<StationRow> page = _store.things(Selection::all(), after, kPage);
        for (const StationRow& station : page) {
            for (const std::string& pattern : patterns) {
                if (matchesStation(pattern, station.system, station.city, station.street)) {
                    ids.push_back(station.id);
                    break;
                }
            }
        }
        if (page.size() < kPage)
            return ids;
        after = page.back().id;
    }
}

std::string AccessControl::prometheusText() const {
    std::ostringstream out;
    out << "# HELP citysense_api_refused_requests_total Requests refused: unknown or expired key (401), "
           "no key where one is needed (401), missing scope (403), rate limited (429)\n"
        << "# TYPE citysense_api_refused_requests_total counter\n";
    for (std::size_t at = 0; at < kRefusalNames.size(); ++at)
        out << "citysense_api_refused_requests_total{reason=\"" << kRefusalNames[at] << "\"} "
            << _refused[at].load() << "\n";
    out << "# HELP citysense_api_rate_limited_addresses Client addresses whose rate is tracked\n"
        << "# TYPE citysense_api_rate_limited_addresses gauge\n"
        << "citysense_api_rate_limited_addresses " << _limiter.addresses() << "\n"
        << "# HELP citysense_api_rate_limited_addresses_forgotten_total Addresses dropped from the full "
           "table, least recently seen first\n"
        << "# TYPE citysense_api_rate_limited_addresses_forgotten_total counter\n"
        << "citysense_api_rate_limited_addresses_forgotten_total " << _limiter.addressesForgotten() << "\n";
    return out.str();
}

}  // namespace citysense::api
