// RateLimit and RateLimiter: the limit's text, token buckets at twice their rate, the headers' figures,
// and the bounded table of client addresses.
#include "RateLimiter.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace citysense::api {
namespace {

constexpr Micros kSecond = kMicrosPerSecond;

TEST(RateLimit, ReadsWindowsAndWritesThemBack) {
    const RateLimit limit = parseRateLimit("60/min, 2000/h,10/30s");
    ASSERT_EQ(limit.windows.size(), 3u);
    EXPECT_EQ(limit.windows[0], (RateWindow{60, 60 * kSecond}));
    EXPECT_EQ(limit.windows[1], (RateWindow{2000, 3600 * kSecond}));
    EXPECT_EQ(limit.windows[2], (RateWindow{10, 30 * kSecond}));
    EXPECT_EQ(formatRateLimit(limit), "60/min, 2000/h, 10/30s");
    EXPECT_EQ(parseRateLimit(formatRateLimit(limit)), limit);
}

TEST(RateLimit, RefusesWhatIsNotARate) {
    for (const char* text : {"", "60", "x/min", "0/min", "-1/h", "5/fortnight", "5/100ms"})
        EXPECT_THROW(parseRateLimit(text), std::invalid_argument) << text;
}

TEST(RateLimiter, AtTwiceTheRateHalfTheRequestsAreRefused) {
    RateLimiter limiter(10);
    const RateLimit limit = parseRateLimit("10/s");
    int allowed = 0;
    // 10 requests a second fill the bucket; then 20 a second for 5 s.
    for (int request = 0; request < 100; ++request) {
        const RateDecision decision = limiter.takeForKey("k", limit, request * kSecond / 20);
        allowed += decision.allowed ? 1 : 0;
    }
    // The full bucket (10), then 10 a second for the 5 s: 60 of 100.
    EXPECT_NEAR(allowed, 60, 1);
}

TEST(RateLimiter, SaysWhatIsLeftWhenItIsFullAndWhenToComeBack) {
    RateLimiter limiter(10);
    const RateLimit limit = parseRateLimit("3/min, 100/h");
    RateDecision decision = limiter.takeForAddress("192.0.2.1", limit, 0);
    EXPECT_TRUE(decision.allowed);
    EXPECT_EQ(decision.limit, 3);
    EXPECT_EQ(decision.remaining, 2);
    EXPECT_EQ(decision.reset, 20);  // one token back every 20 s
    limiter.takeForAddress("192.0.2.1", limit, 0);
    limiter.takeForAddress("192.0.2.1", limit, 0);
    decision = limiter.takeForAddress("192.0.2.1", limit, 0);
    EXPECT_FALSE(decision.allowed);
    EXPECT_EQ(decision.remaining, 0);
    EXPECT_EQ(decision.retryAfter, 20);
    EXPECT_EQ(decision.reset, 60);
    EXPECT_FALSE(limiter.takeForAddress("192.0.2.1", limit, 19 * kSecond).allowed);
    EXPECT_TRUE(limiter.takeForAddress("192.0.2.1", limit, 20 * kSecond).allowed);
    EXPECT_TRUE(limiter.takeForAddress("192.0.2.2", limit, 20 * kSecond).allowed) << "an address of its own";
}

TEST(RateLimiter, KeepsAtMostItsCapacityOfAddressesForgettingTheLeastRecent) {
    RateLimiter limiter(3);
    const RateLimit limit = parseRateLimit("1/h");
    EXPECT_TRUE(limiter.takeForAddress("a", limit, 0).allowed);
    for (int address = 0; address < 1000; ++address)
        limiter.takeForAddress("b" + std::to_string(address), limit, 0);
    EXPECT_EQ(limiter.addresses(), 3u);
    EXPECT_EQ(limiter.addressesForgotten(), 998u);
    EXPECT_FALSE(limiter.takeForAddress("b999", limit, 0).allowed) << "still known";
    EXPECT_TRUE(limiter.takeForAddress("a", limit, 0).allowed) << "forgotten: full buckets again";
}

TEST(RateLimiter, ANewLimitForAKeyStartsItsBucketsAfresh) {
    RateLimiter limiter(3);
    EXPECT_TRUE(limiter.takeForKey("k", parseRateLimit("1/h"), 0).allowed);
    EXPECT_FALSE(limiter.takeForKey("k", parseRateLimit("1/h"), 0).allowed);
    EXPECT_TRUE(limiter.takeForKey("k", parseRateLimit("2/h"), 0).allowed);
    limiter.keepKeys({});
    EXPECT_TRUE(limiter.takeForKey("k", parseRateLimit("1/h"), 0).allowed) << "revoked, then made again";
}

}  // namespace
}  // namespace citysense::api
