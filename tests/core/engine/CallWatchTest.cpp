// CallWatch: the host stops waiting for a thread stuck in a plugin call, and the thread, should the
// call return after all, touches nothing of the host.
#include "Gate.h"

#include <engine/CallWatch.h>

#include <gtest/gtest.h>

#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>

namespace citysense {
namespace {

using test::Gate;

TEST(CallWatch, AThreadThatFinishesIsWaitedFor) {
    CallWatch watch;
    std::thread thread([&] {
        watch.call("read()", [] {});
        watch.finished();
    });
    EXPECT_TRUE(watch.waitUntil(nowMicros() + 3600 * kMicrosPerSecond));
    thread.join();
    EXPECT_EQ(watch.abandonedIn(), "");
}

TEST(CallWatch, AThreadStuckInACallIsAbandonedAndUnwindsWhenTheCallReturns) {
    CallWatch watch;
    Gate stuck;
    Gate entered;
    bool wentOn = false;
    bool unwound = false;
    std::thread thread([&] {
        try {
            watch.call("write()", [&] {
                entered.open();
                stuck.pass();
            });
            wentOn = true;
        } catch (const CallWatch::Abandoned&) {
            unwound = true;
        }
    });
    entered.pass();
    EXPECT_FALSE(watch.waitUntil(nowMicros()));
    EXPECT_EQ(watch.abandonedIn(), "write()");
    stuck.open();
    thread.join();
    EXPECT_TRUE(unwound);
    EXPECT_FALSE(wentOn);
    EXPECT_FALSE(watch.unlessAbandoned([] {})) << "a callback from the abandoned plugin is refused";
}

TEST(CallWatch, HostCodePastTheDeadlineIsWaitedForNotAbandoned) {
    CallWatch watch;
    Gate hostCode;
    std::thread thread([&] {
        hostCode.pass();  // not inside a plugin call
        watch.finished();
    });
    auto waited = std::async(std::launch::async, [&] { return watch.waitUntil(nowMicros()); });
    hostCode.open();
    EXPECT_TRUE(waited.get());
    thread.join();
}

}  // namespace
}  // namespace citysense
