// Token buckets for citysense-api's rate limits: one set per key (by its name) and one per anonymous
// client address. A client's bucket for each window of its limit holds up to that many requests and
// refills at that rate; a request takes a token from each, or is refused (429) with the time until
// one is back. The table of addresses is bounded: when it is full the address least recently seen is
// forgotten (counted), so many addresses cannot grow the memory without limit; a forgotten address
// starts again with full buckets, which is what it would have after a quiet spell anyway.
#pragma once

#include "RateLimit.h"

#include <cstdint>
#include <list>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

namespace citysense::api {

/// What a request did to its client's buckets, for the X-RateLimit-* and Retry-After headers: the
/// figures of the window with the fewest requests left.
struct RateDecision {
    bool allowed = true;
    std::int64_t limit = 0;       ///< the window's requests
    std::int64_t remaining = 0;   ///< requests left in it now
    std::int64_t reset = 0;       ///< seconds until it is full again
    std::int64_t retryAfter = 0;  ///< when refused: seconds until a request is allowed
};

class RateLimiter {
public:
    /// Keeps the buckets of at most `addresses` client addresses.
    explicit RateLimiter(std::size_t addresses);

    /// A request of the key `name`, under `limit`, at steady time `now`.
    RateDecision takeForKey(const std::string& name, const RateLimit& limit, Micros now);
    /// A request from the client address `address`, under `limit`, at steady time `now`.
    RateDecision takeForAddress(const std::string& address, const RateLimit& limit, Micros now);

    /// Forgets the buckets of keys not in `names` (keys revoked).
    void keepKeys(const std::set<std::string>& names);
    void setAddressCapacity(std::size_t addresses);

    std::size_t addresses() const;
    /// Addresses forgotten because the table was full.
    std::uint64_t addressesForgotten() const;

private:
    struct Buckets {
        RateLimit limit;
        std::vector<double> tokens;
        Micros refilled = 0;

        RateDecision take(const RateLimit& asked, Micros now);
    };
    using Recent = std::list<std::pair<std::string, Buckets>>;  ///< most recently seen first

    mutable std::mutex _mutex;
    std::map<std::string, Buckets> _keys;
    Recent _recent;
    std::unordered_map<std::string, Recent::iterator> _addresses;
    std::size_t _capacity;
    std::uint64_t _forgotten = 0;
};

}  // namespace citysense::api
