// citysense-api's API keys: who holds one (its name), what it may do (scopes), which stations it may see
// (system/city/street patterns, * and ? within a part), until when, and how often it may ask. The key
// itself exists once, when it is made, and is shown to whoever made it: the keys file keeps only its
// SHA-256. A key is 256 random bits from the operating system, so a plain hash of it can be neither
// reversed nor guessed; a presented key's hash is compared with every stored one in constant time.
#pragma once

#include "RateLimit.h"

#include <citysense/Time.h>

#include <optional>
#include <string>
#include <vector>

namespace citysense::api {

/// What a key allows, as bits.
enum Scope : unsigned {
    kLiveRead = 1,     ///< "live:read": readings up to now, not only those older than the embargo
    kHistoryRead = 2,  ///< "history:read": what anonymous requests see, under the key's own limits
    kAdmin = 4,        ///< "admin": no reading by itself; kept for the service's administration
};
using Scopes = unsigned;

/// "live:read, history:read" → kLiveRead | kHistoryRead. Throws std::invalid_argument naming an unknown
/// scope, or when none is given.
Scopes parseScopes(const std::string& text);
/// {"live:read", "history:read"}
std::vector<std::string> scopeNames(Scopes scopes);

struct ApiKey {
    std::string name;
    std::string hash;  ///< SHA-256 of the key, lower-case hex
    Scopes scopes = 0;
    std::vector<std::string> stations;  ///< patterns; empty: every station
    std::optional<Micros> expires;      ///< refused from then on
    std::optional<RateLimit> rate;      ///< none: the service's key_rate_limit
    std::optional<int> maxStreams;      ///< live streams open at once; none: [live] max_streams_per_key
    Micros created = 0;

    bool allows(Scope scope) const { return (scopes & scope) != 0; }
    bool expiredAt(Micros now) const { return expires && now >= *expires; }
};

/// Whether `name` may name a key: 1 to 64 letters, digits, '.', '_' or '-'.
bool isKeyName(const std::string& name);

/// Whether `pattern` is a station pattern: one to three non-empty parts, "hypo_city/city_01/*".
bool isStationPattern(const std::string& pattern);
/// Whether the station system/city/street matches `pattern` (parts it leaves out match anything).
bool matchesStation(const std::string& pattern, const std::string& system, const std::string& city,
                    const std::string& street);

/// A new key: "csk_" and 32 bytes from getrandom(2) in base64url (43 characters).
std::string newKey();
/// The SHA-256 of `key`, lower-case hex.
std::string hashKey(const std::string& key);

/// The key of `keys` whose hash is that of `presented` (every hash compared in constant time);
/// nullptr when none is.
const ApiKey* findKey(const std::vector<ApiKey>& keys, const std::string& presented);

}  // namespace citysense::api
