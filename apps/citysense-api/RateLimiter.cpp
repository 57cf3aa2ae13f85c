#include "RateLimiter.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace citysense::api {

namespace {

/// Tokens a window gains per µs.
double rateOf(const RateWindow& window) {
    return static_cast<double>(window.requests) / static_cast<double>(window.period);
}

std::int64_t secondsUntil(double micros) {
    return static_cast<std::int64_t>(
        std::ceil(std::max(0.0, micros) / static_cast<double>(kMicrosPerSecond)));
}

}  // namespace

RateDecision RateLimiter::Buckets::take(const RateLimit& asked, Micros now) {
    if (limit != asked || tokens.size() != asked.windows.size()) {
        limit = asked;
        tokens.clear();
        for (const RateWindow& window : limit.windows)
            tokens.push_back(static_cast<double>(window.requests));
        refilled = now;
    }
    const double elapsed = static_cast<double>(std::max<Micros>(0, now - refilled));
    refilled = std::max(refilled, now);
    bool allowed = true;
    for (std::size_t at = 0; at < tokens.size(); ++at) {
        const RateWindow& window = limit.windows[at];
        tokens[at] = std::min(static_cast<double>(window.requests), tokens[at] + elapsed * rateOf(window));
        allowed = allowed && tokens[at] >= 1.0;
    }
    RateDecision decision;
    decision.allowed = allowed;
    double fewest = std::numeric_limits<double>::infinity();
    for (std::size_t at = 0; at < tokens.size(); ++at) {
        const RateWindow& window = limit.windows[at];
        if (allowed)
            tokens[at] -= 1.0;
        else if (tokens[at] < 1.0)
            decision.retryAfter =
                std::max(decision.retryAfter,
                         std::max<std::int64_t>(1, secondsUntil((1.0 - tokens[at]) / rateOf(window))));
        if (tokens[at] < fewest) {
            fewest = tokens[at];
            decision.limit = window.requests;
            decision.remaining = static_cast<std::int64_t>(std::floor(std::max(0.0, tokens[at])));
            decision.reset =
                secondsUntil((static_cast<double>(window.requests) - tokens[at]) / rateOf(window));
        }
    }
    return decision;
}

RateLimiter::RateLimiter(std::size_t addresses) : _capacity(std::max<std::size_t>(1, addresses)) {}

RateDecision RateLimiter::takeForKey(const std::string& name, const RateLimit& limit, Micros now) {
    std::lock_guard<std::mutex> lock(_mutex);
    return _keys[name].take(limit, now);
}

RateDecision RateLimiter::takeForAddress(const std::string& address, const RateLimit& limit, Micros now) {
    std::lock_guard<std::mutex> lock(_mutex);
    auto found = _addresses.find(address);
    if (found != _addresses.end()) {
        _recent.splice(_recent.begin(), _recent, found->second);
    } else {
        while (_addresses.size() >= _capacity) {
            _addresses.erase(_recent.back().first);
            _recent.pop_back();
            ++_forgotten;
        }
        _recent.emplace_front(address, Buckets{});
        found = _addresses.emplace(address, _recent.begin()).first;
    }
    return found->second->second.take(limit, now);
}

void RateLimiter::keepKeys(const std::set<std::string>& names) {
    std::lock_guard<std::mutex> lock(_mutex);
    for (auto key = _keys.begin(); key != _keys.end();)
        key = names.count(key->first) ? std::next(key) : _keys.erase(key);
}

void RateLimiter::setAddressCapacity(std::size_t addresses) {
    std::lock_guard<std::mutex> lock(_mutex);
    _capacity = std::max<std::size_t>(1, addresses);
    while (_addresses.size() > _capacity) {
        _addresses.erase(_recent.back().first);
        _recent.pop_back();
        ++_forgotten;
    }
}

std::size_t RateLimiter::addresses() const {
    std::lock_guard<std::mutex> lock(_mutex);
    return _addresses.size();
}

std::uint64_t RateLimiter::addressesForgotten() const {
    std::lock_guard<std::mutex> lock(_mutex);
    return _forgotten;
}

}  // namespace citysense::api
