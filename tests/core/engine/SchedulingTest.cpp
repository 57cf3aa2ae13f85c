// The runners: drivers on their own threads or read together by a PollScheduler, never concurrent
// with themselves, backing off while they fail; sinks behind bounded queues, retried, drained at stop.
// Tests wait for conditions, never for fixed times (but for what must not happen within one).
#include "Gate.h"

#include <citysense/EventCounts.h>
#include <engine/DriverRunner.h>
#include <engine/OverrunTimer.h>
#include <engine/Pipeline.h>
#include <engine/PollScheduler.h>
#include <engine/ReadGrid.h>
#include <engine/SinkRunner.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <thread>

namespace citysense {
namespace {

constexpr Micros kMillisecond = 1000;
const Station kStation{"hypo_city", "city_01", "street_01"};

/// Polls `condition` until it holds; false after a generous limit (a hang, not a timing check).
bool eventually(const std::function<bool()>& condition) {
    for (int i = 0; i < 20000; ++i) {
        if (condition())
            return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return false;
}

using test::Gate;

template <typename Plugin>
std::unique_ptr<Plugin> attached(std::unique_ptr<Plugin> plugin, const std::string& name) {
    plugin->attach({name, kStation, Source::intern(kStation, name)});
    return plugin;
}

/// A polled driver whose read() runs a hook, counts calls and concurrent entries, and closes.
class ScriptedDriver : public Driver {
public:
    std::function<void(int call)> onRead = [](int) {};
    std::atomic<int> reads{0};
    std::atomic<int> inside{0};
    std::atomic<int> mostInside{0};
    std::atomic<int> closes{0};

    const OptionTable& options() const override {
        static const OptionTable none;
        return none;
    }
    void configure(const Options&) override {}
    std::vector<Channel> channels() const override { return {{Quantity::Temperature, -40, 85}}; }
    void read(SampleBatch& out) override {
        const int now = ++inside;
        mostInside = std::max(mostInside.load(), now);
        const int call = reads++;
        try {
            onRead(call);
        } catch (...) {
            --inside;
            throw;
        }
        out.push_back(makeSample(Quantity::Temperature, call));
        --inside;
    }
    void close() override { ++closes; }
};

/// A sink that records what it receives; write() runs a hook first (to block or fail).
class RecordingSink : public Sink {
public:
    std::function<void(int call)> onWrite = [](int) {};
    std::atomic<int> writes{0};
    std::mutex mutex;
    std::vector<double> values;
    std::vector<std::size_t> batchSizes;

    const OptionTable& options() const override {
        static const OptionTable none;
        return none;
    }
    void configure(const Options&) override {}
    void write(const SampleBatch& batch) override {
        onWrite(writes++);
        std::lock_guard<std::mutex> lock(mutex);
        batchSizes.push_back(batch.size());
        for (const auto& sample : batch)
            values.push_back(sample.value);
    }
    std::size_t received() {
        std::lock_guard<std::mutex> lock(mutex);
        return values.size();
    }
};

struct SinkUnderTest {
    RecordingSink* sink;
    std::unique_ptr<SinkRunner> runner;
};

SinkUnderTest makeSink(const std::string& name, std::size_t queueLimit = 1000, std::size_t batchSize = 100) {
    auto sink = attached(std::make_unique<RecordingSink>(), name);
    RecordingSink* raw = sink.get();
    return {raw, std::make_unique<SinkRunner>(std::move(sink), "recording", queueLimit, batchSize,
                                              Backoff(kMillisecond, 4 * kMillisecond))};
}

SampleBatch sequence(int first, int count) {
    static const Source* source = Source::intern(kStation, "driver.seq");
    SampleBatch batch;
    for (int i = 0; i < count; ++i)
        batch.push_back({Quantity::Temperature, QualityOk, double(first + i), 0, source});
    return batch;
}

std::vector<double> range(int first, int count) {
    std::vector<double> values;
    for (int i = 0; i < count; ++i)
        values.push_back(first + i);
    return values;
}

TEST(DriverRunner, ADriverIsNeverReadConcurrentlyWithItself) {
    auto driver = attached(std::make_unique<ScriptedDriver>(), "driver.slow");
    ScriptedDriver* slow = driver.get();
    slow->onRead = [](int) { std::this_thread::sleep_for(std::chrono::milliseconds(5)); };
    DriverRunner runner(std::move(driver), "scripted", kMillisecond, kMillisecond);
    runner.start();
    EXPECT_TRUE(eventually([&] { return slow->reads >= 10; }));
    runner.stop();
    EXPECT_EQ(slow->mostInside, 1);
}

TEST(ReadGrid, TheNextReadIsTheNextMultipleOfTheInterval) {
    EXPECT_EQ(nextReadOnGrid(1000, 1003, 100), 1100);  // on time
    EXPECT_EQ(nextReadOnGrid(1037, 1040, 100), 1100);  // the first read, off the grid
    EXPECT_EQ(nextReadOnGrid(1000, 1250, 100), 1300);  // a slow read: the missed ticks are skipped
    EXPECT_EQ(nextReadOnGrid(1000, 999, 100), 1100);   // woken early: no second read at 1000
    EXPECT_EQ(nextReadOnGrid(1000, 1100, 100), 1200);
}

TEST(DriverRunner, DriversOfOneIntervalStartedApartReadAtTheSameMoments) {
    constexpr Micros kInterval = 200 * kMillisecond;
    constexpr int kReads = 7;
    std::mutex mutex;
    std::map<std::string, std::vector<Micros>> readAt;
    std::vector<std::unique_ptr<DriverRunner>> runners;
    std::vector<ScriptedDriver*> drivers;
    for (const char* name : {"driver.first", "driver.second"}) {
        auto driver = attached(std::make_unique<ScriptedDriver>(), name);
        drivers.push_back(driver.get());
        driver->onRead = [&, name](int) {
            std::lock_guard<std::mutex> lock(mutex);
            readAt[name].push_back(steadyMicros());
        };
        runners.push_back(
            std::make_unique<DriverRunner>(std::move(driver), "scripted", kInterval, kInterval));
        runners.back()->start();
        std::this_thread::sleep_for(std::chrono::milliseconds(100));  // half an interval out of step
    }
    EXPECT_TRUE(eventually([&] { return drivers[0]->reads >= kReads && drivers[1]->reads >= kReads; }));
    for (auto& runner : runners)
        runner->stop();
    // After its first read, each driver reads just after multiples of the interval; started half an
    // interval apart, one of them would otherwise read half an interval after them. The median, so
    // that a loaded machine waking a thread late now and then does not count.
    for (auto& [name, times] : readAt) {
        std::vector<Micros> pastTheTick;
        for (std::size_t i = 1; i < kReads; ++i)
            pastTheTick.push_back(times[i] % kInterval);
        std::sort(pastTheTick.begin(), pastTheTick.end());
        EXPECT_LT(pastTheTick[pastTheTick.size() / 2], kInterval / 4) << name;
    }
}

TEST(DriverRunner, AStuckDriverDelaysNoOtherDriver) {
    Gate release;
    auto stuckDriver = attached(std::make_unique<ScriptedDriver>(), "driver.stuck");
    auto busyDriver = attached(std::make_unique<ScriptedDriver>(), "driver.busy");
    ScriptedDriver* stuck = stuckDriver.get();
    ScriptedDriver* busy = busyDriver.get();
    stuck->onRead = [&](int) { release.pass(); };
    DriverRunner stuckRunner(std::move(stuckDriver), "scripted", kMillisecond, kMillisecond);
    DriverRunner busyRunner(std::move(busyDriver), "scripted", kMillisecond, kMillisecond);
    stuckRunner.start();
    busyRunner.start();
    EXPECT_TRUE(eventually([&] { return busy->reads >= 50; }));
    EXPECT_EQ(stuck->reads, 1);
    release.open();
    stuckRunner.stop();
    busyRunner.stop();
}

/// Polled drivers read by one PollScheduler, stopped as the engine stops them.
class PolledDrivers {
public:
    explicit PolledDrivers(Micros handOffAfter) : scheduler(handOffAfter) {}
    ~PolledDrivers() { stop(); }

    ScriptedDriver& add(const std::string& name, Micros interval) {
        auto driver = attached(std::make_unique<ScriptedDriver>(), name);
        ScriptedDriver& scripted = *driver;
        runners.push_back(std::make_unique<DriverRunner>(std::move(driver), "scripted", interval, interval));
        return scripted;
    }
    void start() {
        for (auto& runner : runners)
            runner->start(&scheduler);
    }
    void stop() {
        for (auto& runner : runners)
            runner->requestStop();
        scheduler.stop();
        for (auto& runner : runners)
            EXPECT_TRUE(runner->stop(nowMicros() + 10 * kMicrosPerSecond)) << runner->name();
    }

    PollScheduler scheduler;
    std::vector<std::unique_ptr<DriverRunner>> runners;
};

/// Records the thread each read of `driver` ran on, and when.
struct ReadLog {
    std::mutex mutex;
    std::vector<std::thread::id> threads;
    std::vector<Micros> times;

    void watch(ScriptedDriver& driver) {
        driver.onRead = [this](int) {
            std::lock_guard<std::mutex> lock(mutex);
            threads.push_back(std::this_thread::get_id());
            times.push_back(steadyMicros());
        };
    }
    std::set<std::thread::id> threadSet() {
        std::lock_guard<std::mutex> lock(mutex);
        return {threads.begin(), threads.end()};
    }
};

TEST(PollScheduler, ReadsEveryDriverFromOneThreadAndClosesEachOnce) {
    PolledDrivers polled(3600 * kMicrosPerSecond);  // no hand-off, however loaded the machine
    std::map<std::string, ReadLog> logs;
    std::vector<ScriptedDriver*> drivers;
    for (const char* name : {"driver.a", "driver.b", "driver.c"}) {
        drivers.push_back(&polled.add(name, 10 * kMillisecond));
        logs[name].watch(*drivers.back());
    }
    polled.start();
    EXPECT_TRUE(eventually([&] {
        return std::all_of(drivers.begin(), drivers.end(), [](ScriptedDriver* d) { return d->reads >= 5; });
    }));
    polled.stop();
    std::set<std::thread::id> threads;
    for (auto& [name, log] : logs) {
        const auto mine = log.threadSet();
        threads.insert(mine.begin(), mine.end());
    }
    EXPECT_EQ(threads.size(), 1u);
    EXPECT_EQ(threads.count(std::this_thread::get_id()), 0u);
    for (ScriptedDriver* driver : drivers) {
        EXPECT_EQ(driver->closes, 1);
        EXPECT_EQ(driver->mostInside, 1);
    }
    EXPECT_EQ(polled.scheduler.handedOff(), 0u);
}

TEST(PollScheduler, EachDriverReadsOnItsOwnIntervalsGrid) {
    PolledDrivers polled(3600 * kMicrosPerSecond);
    const std::map<std::string, Micros> intervals{{"driver.fast", 40 * kMillisecond},
                                                  {"driver.slow", 120 * kMillisecond}};
    std::map<std::string, ReadLog> logs;
    std::map<std::string, ScriptedDriver*> drivers;
    for (const auto& [name, interval] : intervals) {
        drivers[name] = &polled.add(name, interval);
        logs[name].watch(*drivers[name]);
    }
    polled.start();
    EXPECT_TRUE(eventually([&] { return drivers["driver.slow"]->reads >= 6; }));
    polled.stop();
    EXPECT_GE(drivers["driver.fast"]->reads, 2 * drivers["driver.slow"]->reads);
    // As in DriversOfOneIntervalStartedApartReadAtTheSameMoments: the median read after the first is
    // just past a multiple of its own interval.
    for (auto& [name, log] : logs) {
        std::vector<Micros> pastTheTick;
        for (std::size_t i = 1; i < log.times.size(); ++i)
            pastTheTick.push_back(log.times[i] % intervals.at(name));
        std::sort(pastTheTick.begin(), pastTheTick.end());
        EXPECT_LT(pastTheTick[pastTheTick.size() / 2], intervals.at(name) / 4) << name;
    }
}

/// A filter that runs a hook for every batch and passes it on.
class HookedFilter : public Filter {
public:
    std::function<void()> onBatch = [] {};

    const OptionTable& options() const override {
        static const OptionTable none;
        return none;
    }
    void configure(const Options&) override {}
    void process(SampleBatch&) override { onBatch(); }
};

TEST(PollScheduler, ReadsEveryDriverOfATickBeforeHandingOnWhatTheyRead) {
    constexpr Micros kInterval = 20 * kMillisecond;
    std::mutex mutex;
    std::vector<std::pair<char, Micros>> events;  // 'r' a read, 's' a batch handed on; and when
    const auto record = [&](char kind) {
        std::lock_guard<std::mutex> lock(mutex);
        events.emplace_back(kind, steadyMicros());
    };
    auto filter = attached(std::make_unique<HookedFilter>(), "filter.hooked");
    filter->onBatch = [&] { record('s'); };
    std::vector<std::unique_ptr<Filter>> filters;
    filters.push_back(std::move(filter));
    Pipeline pipeline("ticks", std::move(filters), {});
    PolledDrivers polled(3600 * kMicrosPerSecond);
    std::vector<ScriptedDriver*> drivers;
    for (const char* name : {"driver.a", "driver.b", "driver.c"}) {
        drivers.push_back(&polled.add(name, kInterval));
        drivers.back()->onRead = [&](int) { record('r'); };
        polled.runners.back()->feed(&pipeline);
    }
    polled.start();
    EXPECT_TRUE(eventually([&] { return drivers[2]->reads >= 10; }));
    polled.stop();
    // From the second tick on (the first read may come before the last driver was added), each tick
    // is three reads, then three batches handed on: the sink is woken once, for all of them.
    const Micros secondTick = (events.front().second / kInterval + 1) * kInterval;
    std::string runs;
    for (const auto& [kind, at] : events) {
        if (at >= secondTick)
            runs += kind;
    }
    runs = runs.substr(runs.find('r'));
    runs = runs.substr(0, runs.size() - runs.size() % 6);
    EXPECT_GE(runs.size(), 24u);
    for (std::size_t tick = 0; tick < runs.size(); tick += 6)
        EXPECT_EQ(runs.substr(tick, 6), "rrrsss") << runs;
}

TEST(PollScheduler, AStuckDriverIsHandedTheThreadItIsStuckInAndDelaysNoOtherDriver) {
    Gate release;
    Gate entered;
    auto sink = makeSink("sink.stuck", 100000);
    Pipeline pipeline("stuck", {}, {sink.runner.get()});
    sink.runner->start();
    PolledDrivers polled(20 * kMillisecond);
    ScriptedDriver& stuck = polled.add("driver.stuck", kMillisecond);
    polled.runners.back()->feed(&pipeline);
    ScriptedDriver& busy = polled.add("driver.busy", kMillisecond);
    ReadLog stuckLog;
    ReadLog busyLog;
    busyLog.watch(busy);
    stuck.onRead = [&](int call) {
        {
            std::lock_guard<std::mutex> lock(stuckLog.mutex);
            stuckLog.threads.push_back(std::this_thread::get_id());
        }
        if (call == 0) {
            entered.open();
            release.pass();
        }
    };
    polled.start();
    entered.pass();
    EXPECT_TRUE(eventually([&] { return busy.reads >= 50; }));
    EXPECT_EQ(stuck.reads, 1);
    EXPECT_EQ(polled.scheduler.handedOff(), 1u);
    release.open();
    // The stuck driver reads on, alone on the thread it was stuck in; the others on a new reader.
    EXPECT_TRUE(eventually([&] { return stuck.reads >= 5; }));
    polled.stop();
    sink.runner->stop(kMicrosPerSecond);
    EXPECT_EQ(sink.sink->values, range(0, stuck.reads)) << "the read it was stuck in included";
    EXPECT_EQ(stuckLog.threadSet().size(), 1u);
    const auto busyThreads = busyLog.threadSet();
    EXPECT_EQ(busyThreads.size(), 1u);
    EXPECT_EQ(busyThreads.count(*stuckLog.threadSet().begin()), 0u);
    EXPECT_EQ(stuck.closes, 1);
    EXPECT_EQ(busy.closes, 1);
    EXPECT_EQ(stuck.mostInside, 1);
}

TEST(PollScheduler, ADriverStuckAtTheStopIsAbandonedWhileTheOthersClose) {
    // What the stuck runner's thread may still touch after the test (it returns from read() and
    // unwinds when the gate opens) is never destroyed, as the engine keeps what it abandoned
    // (AbandonedInstances.h): not even at exit, where the thread may still run.
    struct Abandoned {
        Gate entered;
        Gate release;
        std::unique_ptr<DriverRunner> runner;
    };
    static auto* const kept = new std::deque<Abandoned>;
    Abandoned& stuck = kept->emplace_back();
    PollScheduler scheduler(20 * kMillisecond);
    auto stuckDriver = attached(std::make_unique<ScriptedDriver>(), "driver.stuck");
    auto otherDriver = attached(std::make_unique<ScriptedDriver>(), "driver.other");
    ScriptedDriver* other = otherDriver.get();
    stuckDriver->onRead = [&stuck](int call) {
        if (call == 2) {
            stuck.entered.open();
            stuck.release.pass();
        }
    };
    stuck.runner =
        std::make_unique<DriverRunner>(std::move(stuckDriver), "scripted", kMillisecond, kMillisecond);
    DriverRunner otherRunner(std::move(otherDriver), "scripted", kMillisecond, kMillisecond);
    stuck.runner->start(&scheduler);
    otherRunner.start(&scheduler);
    stuck.entered.pass();
    stuck.runner->requestStop();
    otherRunner.requestStop();
    scheduler.stop();
    EXPECT_EQ(other->closes, 1);
    EXPECT_TRUE(otherRunner.stop());
    EXPECT_FALSE(stuck.runner->stop(nowMicros() + 10 * kMillisecond));
    EXPECT_EQ(stuck.runner->abandonedIn(), "read()");
    stuck.release.open();
}

TEST(OverrunTimer, RunsTheCallbackWhenItExpiresAndNotWhenDisarmedInTime) {
    std::atomic<int> expiries{0};
    OverrunTimer timer([&] { ++expiries; });
    timer.arm(steadyMicros() + kMillisecond);
    EXPECT_TRUE(eventually([&] { return expiries == 1; }));
    timer.arm(steadyMicros() + 50 * kMillisecond);
    timer.disarm();
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    EXPECT_EQ(expiries, 1);
    timer.arm(steadyMicros() - kMillisecond);  // already past: at once
    EXPECT_TRUE(eventually([&] { return expiries == 2; }));
}

TEST(DriverRunner, AFailingDriverBacksOffExponentiallyAndSaysSo) {
    using Clock = std::chrono::steady_clock;
    std::vector<Clock::time_point> attempts;
    std::atomic<bool> broken{true};
    auto driver = attached(std::make_unique<ScriptedDriver>(), "driver.flaky");
    ScriptedDriver* flaky = driver.get();
    flaky->onRead = [&](int) {
        if (broken) {
            attempts.push_back(Clock::now());
            throw std::runtime_error("bus error on /dev/i2c-1");
        }
    };
    DriverRunner runner(std::move(driver), "scripted", 2 * kMillisecond, 16 * kMillisecond);
    runner.start();
    ASSERT_TRUE(eventually([&] { return runner.status().failures >= 6; }));
    InstanceStatus status = runner.status();
    EXPECT_EQ(status.state, InstanceState::Failing);
    EXPECT_EQ(status.message, "read failed: bus error on /dev/i2c-1");
    broken = false;
    ASSERT_TRUE(eventually([&] { return runner.status().state == InstanceState::Running; }));
    runner.stop();
    // Waits of 2, 4, 8, 16, 16 ms: every gap is at least its backoff step.
    const Micros expected[] = {2, 4, 8, 16, 16};
    for (std::size_t i = 0; i < 5; ++i) {
        const auto gap =
            std::chrono::duration_cast<std::chrono::microseconds>(attempts[i + 1] - attempts[i]).count();
        EXPECT_GE(gap, expected[i] * kMillisecond) << "gap " << i;
    }
    EXPECT_TRUE(runner.status().message.empty());
}

TEST(DriverRunner, SamplesGoToEveryPipelineItFeeds) {
    auto first = makeSink("sink.first");
    auto second = makeSink("sink.second");
    Pipeline one("one", {}, {first.runner.get()});
    Pipeline two("two", {}, {second.runner.get()});
    first.runner->start();
    second.runner->start();
    auto driver = attached(std::make_unique<ScriptedDriver>(), "driver.shared");
    DriverRunner runner(std::move(driver), "scripted", kMillisecond, kMillisecond);
    runner.feed(&one);
    runner.feed(&two);
    EXPECT_TRUE(runner.readOnce());
    first.runner->stop(kMicrosPerSecond);
    second.runner->stop(kMicrosPerSecond);
    EXPECT_EQ(first.sink->values, std::vector<double>{0});
    EXPECT_EQ(second.sink->values, std::vector<double>{0});
    EXPECT_EQ(runner.status().read, 1u);
}

/// An event-driven driver that emits a sequence until stopped, or returns early when told to.
class StreamingDriver : public Driver {
public:
    std::atomic<bool> endEarly{false};
    std::atomic<int> runs{0};

    const OptionTable& options() const override {
        static const OptionTable none;
        return none;
    }
    void configure(const Options&) override {}
    std::vector<Channel> channels() const override { return {{Quantity::NO2, 0, 1000}}; }
    bool eventDriven() const override { return true; }
    void run(Emitter& emitter, const StopToken& stop) override {
        ++runs;
        int next = 0;
        while (!stop.waitFor(100)) {
            SampleBatch batch{makeSample(Quantity::NO2, next++)};
            emitter.emit(batch);
            if (endEarly)
                return;
        }
    }
};

TEST(DriverRunner, EventDrivenDriverEmitsUntilStopped) {
    auto sink = makeSink("sink.events", 100000);
    Pipeline pipeline("events", {}, {sink.runner.get()});
    sink.runner->start();
    auto driver = attached(std::make_unique<StreamingDriver>(), "driver.stream");
    DriverRunner runner(std::move(driver), "streaming", kMillisecond, kMillisecond);
    runner.feed(&pipeline);
    runner.start();
    EXPECT_TRUE(eventually([&] { return sink.sink->received() >= 20; }));
    runner.stop();
    sink.runner->stop(kMicrosPerSecond);
    const auto status = runner.status();
    EXPECT_EQ(status.read, sink.sink->received());
    EXPECT_EQ(sink.sink->values, range(0, static_cast<int>(status.read)));
}

/// An event-driven driver that emits 0, 1, 2 … `total` - 1 durably, ten at a time, as fast as it may,
/// as a broker's backlog arrives after a restart; then waits for its stop.
class BacklogDriver : public Driver {
public:
    int total = 2000;
    std::atomic<int> emitted{0};

    const OptionTable& options() const override {
        static const OptionTable none;
        return none;
    }
    void configure(const Options&) override {}
    std::vector<Channel> channels() const override { return {{Quantity::NO2, 0, 1000000}}; }
    bool eventDriven() const override { return true; }
    void run(Emitter& emitter, const StopToken& stop) override {
        for (int next = emitted; next < total && !stop.stopRequested(); next += 10) {
            SampleBatch batch;
            for (int i = next; i < next + 10; ++i)
                batch.push_back(makeSample(Quantity::NO2, i));
            emitter.emitDurably(batch);
            emitted = next + 10;
        }
        while (!stop.waitFor(kMicrosPerSecond)) {
        }
    }
};

TEST(DriverRunner, ADriverEmittingDurablyWaitsForASlowSinkInsteadOfOverflowingItsQueue) {
    auto sink = makeSink("sink.slow", 100, 10);
    sink.sink->onWrite = [](int) { std::this_thread::sleep_for(std::chrono::milliseconds(1)); };
    Pipeline pipeline("backlog", {}, {sink.runner.get()});
    sink.runner->start();
    auto driver = attached(std::make_unique<BacklogDriver>(), "driver.backlog");
    BacklogDriver* backlog = driver.get();
    DriverRunner runner(std::move(driver), "backlog", kMillisecond, kMillisecond);
    runner.feed(&pipeline);
    runner.start();
    EXPECT_TRUE(eventually([&] { return sink.sink->received() >= 2000; }));
    EXPECT_TRUE(runner.stop());
    sink.runner->stop(kMicrosPerSecond);
    EXPECT_EQ(backlog->emitted, 2000);
    EXPECT_EQ(sink.runner->status().dropped, 0u) << "20 queues' worth went through a queue of 100";
    EXPECT_EQ(sink.sink->values, range(0, 2000));
    EXPECT_GT(backlog->eventCounts().count("held_back_for_sinks"), 0u);
}

TEST(DriverRunner, AStopEndsTheWaitOfADriverHeldBackByABlockedSink) {
    Gate release;
    auto sink = makeSink("sink.blocked", 100, 10);
    sink.sink->onWrite = [&](int call) {
        if (call == 0)
            release.pass();
    };
    Pipeline pipeline("backlog", {}, {sink.runner.get()});
    sink.runner->start();
    auto driver = attached(std::make_unique<BacklogDriver>(), "driver.backlog");
    BacklogDriver* backlog = driver.get();
    DriverRunner runner(std::move(driver), "backlog", kMillisecond, kMillisecond);
    runner.feed(&pipeline);
    runner.start();
    // Held back once more than half the queue is unsettled: 50 queued behind the blocked write of 10.
    EXPECT_TRUE(eventually([&] { return backlog->emitted >= 60; }));
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    EXPECT_LE(backlog->emitted, 70);
    EXPECT_TRUE(runner.stop());
    release.open();
    sink.runner->stop(kMicrosPerSecond);
    EXPECT_EQ(sink.runner->status().dropped, 0u);
    EXPECT_EQ(sink.sink->values, range(0, backlog->emitted));
}

TEST(DriverRunner, EventDrivenDriverThatEndsIsRestartedAsAFailure) {
    auto driver = attached(std::make_unique<StreamingDriver>(), "driver.ending");
    StreamingDriver* ending = driver.get();
    ending->endEarly = true;
    DriverRunner runner(std::move(driver), "streaming", kMillisecond, 2 * kMillisecond);
    runner.start();
    EXPECT_TRUE(eventually([&] { return ending->runs >= 3; }));
    runner.stop();
    EXPECT_GE(runner.status().failures, 2u);
}

TEST(SinkRunner, DeliversEverythingInOrderInBatchesOfAtMostBatchSize) {
    auto sink = makeSink("sink.ordered", 100000, 64);
    sink.runner->start();
    for (int i = 0; i < 100; ++i)
        sink.runner->enqueue(sequence(i * 10, 10));
    sink.runner->stop(kMicrosPerSecond);
    EXPECT_EQ(sink.sink->values, range(0, 1000));
    for (const auto size : sink.sink->batchSizes)
        EXPECT_LE(size, 64u);
    EXPECT_EQ(sink.runner->status().delivered, 1000u);
}

TEST(SinkRunner, ABatchIntervalGathersSamplesArrivingOneByOneIntoOneWrite) {
    auto sink = makeSink("sink.gathering", 100000, 10);
    // Generous: the batch fills long before; the interval only bounds the wait of a partial batch.
    sink.runner->setBatchInterval(60 * kMicrosPerSecond);
    sink.runner->start();
    for (int i = 0; i < 10; ++i)
        sink.runner->enqueue(sequence(i, 1));
    ASSERT_TRUE(eventually([&] { return sink.sink->received() == 10; }));
    sink.runner->enqueue(sequence(10, 3));  // a partial batch: delivered at the drain, not held back
    sink.runner->stop(kMicrosPerSecond);
    EXPECT_EQ(sink.sink->values, range(0, 13));
    EXPECT_EQ(sink.sink->batchSizes, (std::vector<std::size_t>{10, 3}));
}

TEST(SinkRunner, AFullQueueDropsTheOldestAndCountsThem) {
    Gate release;
    auto sink = makeSink("sink.blocked", 100, 1000);
    sink.sink->onWrite = [&](int call) {
        if (call == 0)
            release.pass();
    };
    sink.runner->start();
    sink.runner->enqueue(sequence(0, 1));  // taken by the blocked write
    ASSERT_TRUE(eventually([&] { return sink.runner->status().queued == 0; }));
    sink.runner->enqueue(sequence(1, 150));   // 50 over the limit of 100
    sink.runner->enqueue(sequence(151, 30));  // 30 more over
    EXPECT_EQ(sink.runner->status().dropped, 80u);
    EXPECT_EQ(sink.runner->status().queued, 100u);
    release.open();
    sink.runner->stop(kMicrosPerSecond);
    std::vector<double> expected{0};
    const auto newest = range(81, 100);
    expected.insert(expected.end(), newest.begin(), newest.end());
    EXPECT_EQ(sink.sink->values, expected);
    EXPECT_EQ(sink.runner->status().delivered + sink.runner->status().dropped, 181u);
}

TEST(SinkRunner, AFailingWriteIsRetriedAndLosesNothing) {
    auto sink = makeSink("sink.flaky");
    sink.sink->onWrite = [](int call) {
        if (call < 3)
            throw std::runtime_error("broker unreachable");
    };
    sink.runner->start();
    sink.runner->enqueue(sequence(0, 10));
    ASSERT_TRUE(eventually([&] { return sink.sink->received() == 10; }));
    sink.runner->stop(kMicrosPerSecond);
    EXPECT_EQ(sink.sink->values, range(0, 10));
    const auto status = sink.runner->status();
    EXPECT_EQ(status.failures, 3u);
    EXPECT_EQ(status.delivered, 10u);
    EXPECT_EQ(status.state, InstanceState::Stopped);
}

TEST(SinkRunner, ADeadSinkAtShutdownCountsWhatItCouldNotDeliver) {
    auto sink = makeSink("sink.dead");
    sink.sink->onWrite = [](int) { throw std::runtime_error("database gone"); };
    sink.runner->start();
    sink.runner->enqueue(sequence(0, 250));
    ASSERT_TRUE(eventually([&] { return sink.runner->status().failures >= 1; }));
    sink.runner->stop(10 * kMillisecond);
    const auto status = sink.runner->status();
    EXPECT_EQ(status.delivered, 0u);
    EXPECT_EQ(status.dropped, 250u);
    EXPECT_EQ(status.queued, 0u);
}

TEST(SinkRunner, OnReloadAFailingSinkHandsOverEverythingItStillHolds) {
    auto sink = makeSink("sink.reloaded");
    sink.sink->onWrite = [](int) { throw std::runtime_error("broker unreachable"); };
    sink.runner->start();
    sink.runner->enqueue(sequence(0, 50));
    sink.runner->enqueue(sequence(50, 50));
    ASSERT_TRUE(eventually([&] { return sink.runner->status().failures >= 1; }));
    std::vector<double> handedOver;
    for (const auto& batch : sink.runner->stopAndTakeQueue()) {
        for (const auto& sample : batch)
            handedOver.push_back(sample.value);
    }
    EXPECT_EQ(handedOver, range(0, 100));  // the batch being retried first, then the rest, in order
    EXPECT_EQ(sink.runner->status().dropped, 0u);
}

TEST(SinkRunner, ASlowSinkStopsAtTheDeadlineCountingWhatItDidNotDeliver) {
    auto sink = makeSink("sink.slow", 100000, 1);
    sink.sink->onWrite = [](int) { std::this_thread::sleep_for(std::chrono::milliseconds(5)); };
    sink.runner->start();
    for (int i = 0; i < 400; ++i)
        sink.runner->enqueue(sequence(i, 1));
    sink.runner->stop(20 * kMillisecond);  // far less than the 2 s the queue would take
    const auto status = sink.runner->status();
    EXPECT_GT(status.dropped, 0u);
    EXPECT_EQ(status.delivered + status.dropped, 400u);
    EXPECT_EQ(sink.sink->values, range(0, static_cast<int>(status.delivered)));
}

TEST(SinkRunner, ABlockedSinkDoesNotHoldUpAnotherSinkOfThePipeline) {
    Gate release;
    auto blocked = makeSink("sink.blocked", 100000);
    auto healthy = makeSink("sink.healthy", 100000);
    blocked.sink->onWrite = [&](int) { release.pass(); };
    Pipeline pipeline("both", {}, {blocked.runner.get(), healthy.runner.get()});
    blocked.runner->start();
    healthy.runner->start();
    for (int i = 0; i < 20; ++i)
        pipeline.filterAndEnqueue(sequence(i * 5, 5));
    EXPECT_TRUE(eventually([&] { return healthy.sink->received() == 100; }));
    release.open();
    blocked.runner->stop(kMicrosPerSecond);
    healthy.runner->stop(kMicrosPerSecond);
    EXPECT_EQ(blocked.sink->values, range(0, 100));
}

/// A filter that keeps even values, appends a marker on flush, or throws when told to.
class EvenFilter : public Filter {
public:
    bool fail = false;
    const OptionTable& options() const override {
        static const OptionTable none;
        return none;
    }
    void configure(const Options&) override {}
    void process(SampleBatch& batch) override {
        if (fail)
            throw std::runtime_error("filter bug");
        batch.erase(
            std::remove_if(batch.begin(), batch.end(),
                           [](const Sample& sample) { return static_cast<int>(sample.value) % 2 != 0; }),
            batch.end());
    }
    void flush(Micros, SampleBatch& out) override { out.push_back(sequence(1000, 1).front()); }
};

TEST(Pipeline, FiltersApplyInOrderAndFlushOutputContinuesDownTheChain) {
    auto sink = makeSink("sink.filtered");
    std::vector<std::unique_ptr<Filter>> filters;
    filters.push_back(attached(std::make_unique<EvenFilter>(), "filter.even"));
    Pipeline pipeline("filtered", std::move(filters), {sink.runner.get()});
    sink.runner->start();
    pipeline.filterAndEnqueue(sequence(0, 6));
    pipeline.flush(nowMicros());
    sink.runner->stop(kMicrosPerSecond);
    EXPECT_EQ(sink.sink->values, (std::vector<double>{0, 2, 4, 1000}));
}

TEST(Pipeline, AThrowingFilterPassesTheBatchOn) {
    auto sink = makeSink("sink.after-bug");
    auto filter = attached(std::make_unique<EvenFilter>(), "filter.buggy");
    filter->fail = true;
    std::vector<std::unique_ptr<Filter>> filters;
    filters.push_back(std::move(filter));
    Pipeline pipeline("buggy", std::move(filters), {sink.runner.get()});
    sink.runner->start();
    pipeline.filterAndEnqueue(sequence(0, 3));
    sink.runner->stop(kMicrosPerSecond);
    EXPECT_EQ(sink.sink->values, range(0, 3));
}

/// A polled temperature driver whose every read delivers two good samples (values 1 and 6) around
/// four that the driver boundary must stop (values 2 to 5).
class CarelessDriver : public Driver {
public:
    const OptionTable& options() const override {
        static const OptionTable none;
        return none;
    }
    void configure(const Options&) override {}
    std::vector<Channel> channels() const override { return {{Quantity::Temperature, -40, 85}}; }
    void read(SampleBatch& out) override {
        static const Station nowhere{"hypo_city", "", "street_01"};
        out.push_back(makeSample(Quantity::Temperature, 1));
        out.push_back(makeSample(static_cast<Quantity>(200), 2));  // beyond the quantity table
        out.push_back(makeSample(Quantity::Humidity, 3));          // not a channel of this driver
        Sample sourceless = makeSample(Quantity::Temperature, 4);
        sourceless.source = nullptr;
        out.push_back(sourceless);
        Sample stationless = makeSample(Quantity::Temperature, 5);
        stationless.source = Source::intern(nowhere, "driver.careless");
        out.push_back(stationless);
        out.push_back(makeSample(Quantity::Temperature, 6));
    }
};

/// A filter that records the values it sees and passes everything on.
class WitnessFilter : public Filter {
public:
    std::vector<double> seen;

    const OptionTable& options() const override {
        static const OptionTable none;
        return none;
    }
    void configure(const Options&) override {}
    void process(SampleBatch& batch) override {
        for (const auto& sample : batch)
            seen.push_back(sample.value);
    }
};

TEST(DriverRunner, SamplesThatFailTheDriverBoundaryReachNoFilterAndAreCounted) {
    auto sink = makeSink("sink.checked");
    auto witness = attached(std::make_unique<WitnessFilter>(), "filter.witness");
    WitnessFilter* filter = witness.get();
    std::vector<std::unique_ptr<Filter>> filters;
    filters.push_back(std::move(witness));
    Pipeline pipeline("checked", std::move(filters), {sink.runner.get()});
    sink.runner->start();
    LatestReadings latest;
    latest.watch(Quantity::Temperature);
    DriverRunner runner(attached(std::make_unique<CarelessDriver>(), "driver.careless"), "careless",
                        kMillisecond, kMillisecond);
    runner.feed(&pipeline);
    runner.recordLatestIn(latest);
    EXPECT_TRUE(runner.readOnce());
    sink.runner->stop(kMicrosPerSecond);
    EXPECT_EQ(filter->seen, (std::vector<double>{1, 6}));
    EXPECT_EQ(sink.sink->values, (std::vector<double>{1, 6}));
    const InstanceStatus status = runner.status();
    EXPECT_EQ(status.read, 6u);
    EXPECT_EQ(status.droppedByReason,
              (std::map<std::string, std::uint64_t>{
                  {"no_source", 1}, {"no_station", 1}, {"undeclared_quantity", 1}, {"unknown_quantity", 1}}));
}

}  // namespace
}  // namespace citysense
