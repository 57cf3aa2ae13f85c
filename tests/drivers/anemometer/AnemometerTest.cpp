// The anemometer driver through the real plugin library, counting edges from a scripted source on a
// virtual clock: nothing here waits on wall time. Expected values are worked out by hand or, for the
// gust, by brute force over every microsecond a 3 s window can start at.

#include <PluginHarness.h>

#include <citysense/testing/ScriptedEdgeSource.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <exception>
#include <map>
#include <memory>
#include <mutex>
#include <ostream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace citysense {
namespace {

using ::testing::HasSubstr;
using Settings = std::map<std::string, std::string>;

constexpr Micros kMs = 1000;
constexpr Micros kSecond = kMicrosPerSecond;
constexpr double kSparkFunMetresPerPulse = 2.4 / 3.6;  // 2.4 km/h per Hz
constexpr double kTolerance = 1e-9;

/// Hands the driver a source that forwards to the test's scripted source, and remembers what the
/// driver asked for: the line it requested and the longest it was willing to wait for an edge.
class ForwardingSource : public EdgeSource {
public:
    ForwardingSource(std::shared_ptr<testing::ScriptedEdgeSource> script,
                     std::shared_ptr<std::atomic<Micros>> longest)
        : _script(std::move(script)), _longestWait(std::move(longest)) {}

    std::optional<EdgeEvent> next(Micros timeout) override {
        Micros seen = _longestWait->load();
        while (timeout > seen && !_longestWait->compare_exchange_weak(seen, timeout)) {
        }
        return _script->next(timeout);
    }
    Micros now() const override { return _script->now(); }
    std::string describe() const override { return "fake-chip line (scripted)"; }

private:
    std::shared_ptr<testing::ScriptedEdgeSource> _script;
    std::shared_ptr<std::atomic<Micros>> _longestWait;
};

/// Collects what run() emits, one batch per period.
class RecordingEmitter : public Emitter {
public:
    void emit(SampleBatch& batch) override {
        {
            std::lock_guard<std::mutex> lock(_mutex);
            _batches.push_back(std::move(batch));
        }
        batch.clear();
        _changed.notify_all();
    }

    /// Marks the end of run(), so that waiting stops even if fewer batches came.
    void finished() {
        {
            std::lock_guard<std::mutex> lock(_mutex);
            _finished = true;
        }
        _changed.notify_all();
    }

    /// Waits (real time, generously) until `ready` holds for the batches so far or run() ended.
    template <typename Predicate>
    void waitUntil(Predicate ready) {
        std::unique_lock<std::mutex> lock(_mutex);
        _changed.wait_for(lock, std::chrono::seconds(20), [&] { return _finished || ready(_batches); });
    }

    std::vector<SampleBatch> batches() const {
        std::lock_guard<std::mutex> lock(_mutex);
        return _batches;
    }

private:
    mutable std::mutex _mutex;
    std::condition_variable _changed;
    std::vector<SampleBatch> _batches;
    bool _finished = false;
};

/// One period's report.
struct Period {
    double speed = -1.0;
    double gust = -1.0;
    Micros time = 0;
};

Period periodOf(const SampleBatch& batch) {
    Period period;
    EXPECT_EQ(batch.size(), 2u);
    for (const auto& sample : batch) {
        EXPECT_EQ(sample.quality, QualityOk);
        EXPECT_NE(sample.source, nullptr);
        if (sample.quantity == Quantity::WindSpeed)
            period.speed = sample.value;
        else if (sample.quantity == Quantity::WindGust)
            period.gust = sample.value;
        else
            ADD_FAILURE() << "unexpected quantity " << info(sample.quantity).name;
        if (period.time != 0) {
            EXPECT_EQ(sample.time, period.time) << "speed and gust of one period share its end time";
        }
        period.time = sample.time;
    }
    return period;
}

/// The most pulses in any [t, t + 3 s) within [start, end), trying every microsecond t.
std::size_t busiestThreeSecondsByBruteForce(const std::vector<Micros>& pulses, Micros start, Micros end) {
    std::size_t most = 0;
    for (Micros t = start; t + 3 * kSecond <= end; ++t) {
        const auto first = std::lower_bound(pulses.begin(), pulses.end(), t);
        const auto past = std::lower_bound(pulses.begin(), pulses.end(), t + 3 * kSecond);
        most = std::max(most, static_cast<std::size_t>(past - first));
    }
    return most;
}

class AnemometerDriver : public ::testing::Test {
protected:
    void SetUp() override {
        registerEdgeSource("fake-chip", [script = _script, longest = _longestWait](const GpioLineSpec& spec) {
            requestedSpecs().push_back(spec);
            return std::make_unique<ForwardingSource>(script, longest);
        });
        requestedSpecs().clear();
    }

    void TearDown() override { registerEdgeSource("fake-chip", {}); }

    static std::vector<GpioLineSpec>& requestedSpecs() {
        static std::vector<GpioLineSpec> specs;
        return specs;
    }

    testing::ScriptedEdgeSource& script() { return *_script; }

    /// An anemometer on fake-chip line 17 with `settings` on top, opened.
    std::unique_ptr<Driver> openDriver(Settings settings = {}) {
        settings.emplace("chip", "fake-chip");
        settings.emplace("line", "17");
        auto driver = test::makeDriver("anemometer", settings);
        driver->open();
        return driver;
    }

    /// Runs `driver` until the script is consumed and `count` periods are reported, then stops it;
    /// returns those periods. `runStart` is the wall time just before run() began.
    std::vector<Period> runPeriods(Driver& driver, std::size_t count, Micros* runStart = nullptr) {
        RecordingEmitter emitter;
        StopToken stop;
        std::exception_ptr failure;
        const Micros before = nowMicros();
        std::thread runner([&] {
            try {
                driver.run(emitter, stop);
            } catch (...) {
                failure = std::current_exception();
            }
            emitter.finished();
        });
        emitter.waitUntil([&](const std::vector<SampleBatch>& batches) {
            return batches.size() >= count && _script->pending() == 0;
        });
        stop.requestStop();
        runner.join();
        if (failure)
            std::rethrow_exception(failure);
        if (runStart)
            *runStart = before;
        const std::vector<SampleBatch> batches = emitter.batches();
        EXPECT_GE(batches.size(), count);
        EXPECT_EQ(_script->pending(), 0u);
        std::vector<Period> periods;
        for (std::size_t i = 0; i < std::min(count, batches.size()); ++i) {
            periods.push_back(periodOf(batches[i]));
            for (const auto& sample : batches[i])
                EXPECT_EQ(sample.source, driver.source());
        }
        EXPECT_LE(_longestWait->load(), 500 * kMs) << "a stop must be seen within 0.5 s";
        return periods;
    }

private:
    std::shared_ptr<testing::ScriptedEdgeSource> _script = std::make_shared<testing::ScriptedEdgeSource>();
    std::shared_ptr<std::atomic<Micros>> _longestWait = std::make_shared<std::atomic<Micros>>(0);
};

TEST_F(AnemometerDriver, SteadyTenHertzIsSixPointSixSevenMetresPerSecond) {
    script().addPulses(50 * kMs, 100 * kMs, 200);  // 10 Hz for 20 s
    auto driver = openDriver();
    Micros runStart = 0;
    const std::vector<Period> periods = runPeriods(*driver, 3, &runStart);
    const Micros runEnd = nowMicros();
    for (int i = 0; i < 2; ++i) {
        EXPECT_NEAR(periods[i].speed, 10 * kSparkFunMetresPerPulse, kTolerance) << "period " << i;
        EXPECT_NEAR(periods[i].gust, 10 * kSparkFunMetresPerPulse, kTolerance) << "period " << i;
    }
    EXPECT_NEAR(10 * kSparkFunMetresPerPulse, 6.6667, 1e-4);
    EXPECT_EQ(periods[2].speed, 0.0);
    // Period ends on the source clock (10 s, 20 s, 30 s), mapped to UTC once at the start of run().
    EXPECT_GE(periods[0].time, runStart + 10 * kSecond);
    EXPECT_LE(periods[0].time, runEnd + 10 * kSecond);
    EXPECT_EQ(periods[1].time - periods[0].time, 10 * kSecond);
    EXPECT_EQ(periods[2].time - periods[1].time, 10 * kSecond);
}

TEST_F(AnemometerDriver, ContactBounceWithinTheDebounceTimeIsNotCounted) {
    for (int i = 0; i < 100; ++i) {  // 10 Hz for 10 s, every closure bouncing 1 ms later
        const Micros closure = 50 * kMs + i * 100 * kMs;
        script().add({closure, false});
        script().add({closure + 1 * kMs, false});
    }
    auto driver = openDriver();
    const std::vector<Period> periods = runPeriods(*driver, 1);
    EXPECT_NEAR(periods[0].speed, 10 * kSparkFunMetresPerPulse, kTolerance);
    EXPECT_NEAR(periods[0].gust, 10 * kSparkFunMetresPerPulse, kTolerance);
}

TEST_F(AnemometerDriver, WithoutDebounceEveryBounceCounts) {
    for (int i = 0; i < 100; ++i) {
        const Micros closure = 50 * kMs + i * 100 * kMs;
        script().add({closure, false});
        script().add({closure + 1 * kMs, false});
    }
    auto driver = openDriver({{"debounce", "0s"}});
    const std::vector<Period> periods = runPeriods(*driver, 1);
    EXPECT_NEAR(periods[0].speed, 20 * kSparkFunMetresPerPulse, kTolerance);
}

TEST_F(AnemometerDriver, DebounceIsOnTheLinesStabilityNotTheTimeSinceTheLastPulse) {
    // Falling edges 3 ms apart (the rising ones between them lost): the line never holds a level for
    // 5 ms until the burst ends, so the burst is one pulse, however long it lasts.
    script().addPulses(100 * kMs, 3 * kMs, 1000);
    auto driver = openDriver({{"factor", "1"}, {"factor_unit", "m/s"}});
    const std::vector<Period> periods = runPeriods(*driver, 1);
    EXPECT_NEAR(periods[0].speed, 1.0 / 10.0, kTolerance);
}

TEST_F(AnemometerDriver, ASwitchBouncingWhenItClosesIsOnePulsePerRevolution) {
    for (int i = 0; i < 28; ++i) {
        const Micros closure = 100 * kMs + i * 300 * kMs;
        for (const Micros offset : {0 * kMs, 1 * kMs, 2 * kMs, 3 * kMs})  // low, high, low, high...
            script().add({closure + offset, offset % (2 * kMs) != 0});
        script().add({closure + 4 * kMs, false});   // ...and low it stays
        script().add({closure + 100 * kMs, true});  // until it opens
    }
    auto driver = openDriver({{"factor", "1"}, {"factor_unit", "m/s"}});
    const std::vector<Period> periods = runPeriods(*driver, 1);
    EXPECT_NEAR(periods[0].speed, 28.0 / 10.0, kTolerance);
}

TEST_F(AnemometerDriver, ASwitchBouncingWhenItOpensIsOnePulsePerRevolution) {
    // Cheap cups: the closure is clean, but opening 60 ms later bounces (a falling edge half a
    // millisecond after the rising one). Counting edges 5 ms after the last counted one saw 56.
    for (int i = 0; i < 28; ++i) {
        const Micros closure = 100 * kMs + i * 300 * kMs;
        script().add({closure, false});
        script().add({closure + 60 * kMs, true});
        script().add({closure + 60 * kMs + 500, false});
        script().add({closure + 61 * kMs, true});
    }
    auto driver = openDriver({{"factor", "1"}, {"factor_unit", "m/s"}});
    const std::vector<Period> periods = runPeriods(*driver, 1);
    EXPECT_NEAR(periods[0].speed, 28.0 / 10.0, kTolerance);
}

TEST_F(AnemometerDriver, AnEdgeExactlyTheDebounceTimeAfterTheLastIsCounted) {
    script().addPulses(100 * kMs, 5 * kMs, 10);
    auto driver = openDriver({{"factor", "1"}, {"factor_unit", "m/s"}});
    const std::vector<Period> periods = runPeriods(*driver, 1);
    EXPECT_NEAR(periods[0].speed, 10.0 / 10.0, kTolerance);
}

TEST_F(AnemometerDriver, CupsStandingStillGiveZeroSpeedAndZeroGust) {
    auto driver = openDriver();
    const std::vector<Period> periods = runPeriods(*driver, 3);
    for (const Period& period : periods) {
        EXPECT_EQ(period.speed, 0.0);
        EXPECT_EQ(period.gust, 0.0);
    }
}

TEST_F(AnemometerDriver, GustIsTheBusiestThreeSecondsOfThePeriod) {
    // 5 Hz all period, except for one second of 30 Hz from t = 4 s.
    std::vector<Micros> pulses;
    for (int i = 0; i < 50; ++i) {
        const Micros time = 100 * kMs + i * 200 * kMs;
        if (time < 4 * kSecond || time >= 5 * kSecond)
            pulses.push_back(time);
    }
    for (int i = 0; i < 30; ++i)
        pulses.push_back(4 * kSecond + i * 33333);
    std::sort(pulses.begin(), pulses.end());
    for (const Micros time : pulses)
        script().add({time, false});

    auto driver = openDriver();
    const std::vector<Period> periods = runPeriods(*driver, 1);

    ASSERT_EQ(pulses.size(), 75u);  // 45 at 5 Hz, 30 in the burst
    EXPECT_NEAR(periods[0].speed, 75.0 / 10.0 * kSparkFunMetresPerPulse, kTolerance);
    const std::size_t busiest = busiestThreeSecondsByBruteForce(pulses, 0, 10 * kSecond);
    EXPECT_EQ(busiest, 40u);  // the burst and 2 s of 5 Hz around it
    EXPECT_NEAR(periods[0].gust, static_cast<double>(busiest) / 3.0 * kSparkFunMetresPerPulse, kTolerance);
}

TEST_F(AnemometerDriver, AGustAcrossAPeriodEndCountsInEachPeriodOnlyItsOwnPulses) {
    // 2 Hz, and 20 Hz from 9 s to 11 s: the burst straddles the end of the first period.
    std::vector<Micros> pulses;
    for (Micros time = 250 * kMs; time < 9 * kSecond; time += 500 * kMs)
        pulses.push_back(time);
    for (Micros time = 9 * kSecond + 25 * kMs; time < 11 * kSecond; time += 50 * kMs)
        pulses.push_back(time);
    for (Micros time = 11 * kSecond + 250 * kMs; time < 20 * kSecond; time += 500 * kMs)
        pulses.push_back(time);
    for (const Micros time : pulses)
        script().add({time, false});
    const auto split = std::lower_bound(pulses.begin(), pulses.end(), 10 * kSecond);
    const std::vector<Micros> first(pulses.begin(), split);
    const std::vector<Micros> second(split, pulses.end());

    auto driver = openDriver({{"factor", "1"}, {"factor_unit", "m/s"}});
    const std::vector<Period> periods = runPeriods(*driver, 2);

    EXPECT_NEAR(periods[0].speed, static_cast<double>(first.size()) / 10.0, kTolerance);
    EXPECT_NEAR(periods[1].speed, static_cast<double>(second.size()) / 10.0, kTolerance);
    const std::size_t busiestFirst = busiestThreeSecondsByBruteForce(first, 0, 10 * kSecond);
    const std::size_t busiestSecond = busiestThreeSecondsByBruteForce(second, 10 * kSecond, 20 * kSecond);
    EXPECT_EQ(busiestFirst, 24u);   // [7 s, 10 s): 4 at 2 Hz, 20 at 20 Hz
    EXPECT_EQ(busiestSecond, 24u);  // [10 s, 13 s): 20 at 20 Hz, 4 at 2 Hz
    EXPECT_NEAR(periods[0].gust, static_cast<double>(busiestFirst) / 3.0, kTolerance);
    EXPECT_NEAR(periods[1].gust, static_cast<double>(busiestSecond) / 3.0, kTolerance);
}

TEST_F(AnemometerDriver, PulsesCountInThePeriodTheyHappenIn) {
    script().addPulses(2 * kSecond, 1 * kSecond, 3);   // 2, 3, 4 s
    script().addPulses(10 * kSecond, 1 * kSecond, 7);  // 10 s (the second period's start) .. 16 s
    auto driver = openDriver({{"factor", "1"}, {"factor_unit", "m/s"}});
    const std::vector<Period> periods = runPeriods(*driver, 2);
    EXPECT_NEAR(periods[0].speed, 0.3, kTolerance);
    EXPECT_NEAR(periods[1].speed, 0.7, kTolerance);
    EXPECT_NEAR(periods[0].gust, 1.0, kTolerance);  // 2 s and 3 s and 4 s: at most 3 in a 3 s window
    EXPECT_NEAR(periods[1].gust, 1.0, kTolerance);
}

/// Edges queue up like a kernel's line events: one that happened while the reader was busy waits,
/// with its own timestamp, until it is read. Each wait for an edge starts `lag` late, as on a loaded
/// board; reading what is already queued (a zero timeout) does not.
class LateReaderSource : public EdgeSource {
public:
    LateReaderSource(std::vector<Micros> edges, Micros lag) : _edges(edges.begin(), edges.end()), _lag(lag) {}

    std::optional<EdgeEvent> next(Micros timeout) override {
        if (timeout > 0)
            _now += _lag;
        if (!_edges.empty() && _edges.front() <= _now + timeout) {
            const Micros time = _edges.front();
            _edges.pop_front();
            _now = std::max(_now, time);
            return EdgeEvent{time, false};
        }
        _now += timeout;
        return std::nullopt;
    }
    Micros now() const override { return _now; }
    std::string describe() const override { return "late reader"; }

private:
    std::deque<Micros> _edges;
    Micros _lag;
    Micros _now = 0;
};

TEST_F(AnemometerDriver, EdgesReadAfterThePeriodEndedStayInTheirPeriod) {
    // 1 Hz for 20 s, read by a driver that falls 1.5 s behind at every wait: when it notices the
    // first period is over, several of that period's edges are still queued.
    std::vector<Micros> edges;
    for (int i = 0; i < 20; ++i)
        edges.push_back(500 * kMs + i * kSecond);
    registerEdgeSource("late-chip", [edges](const GpioLineSpec&) {
        return std::make_unique<LateReaderSource>(edges, 1500 * kMs);
    });
    auto driver = test::makeDriver(
        "anemometer", {{"chip", "late-chip"}, {"line", "17"}, {"factor", "1"}, {"factor_unit", "m/s"}});
    driver->open();
    registerEdgeSource("late-chip", {});
    const std::vector<Period> periods = runPeriods(*driver, 2);
    EXPECT_NEAR(periods[0].speed, 1.0, kTolerance);
    EXPECT_NEAR(periods[1].speed, 1.0, kTolerance);
}

TEST_F(AnemometerDriver, EdgesOfSeveralPeriodsReadAtOnceCountEachInItsOwnPeriod) {
    // 1 Hz for 30 s, read by a driver that stalls 25 s at its first wait: it reads the edges of the
    // first period, the whole second one and half the third in one go, and reports the first two
    // periods as it meets the edges after their ends. Its first edge is read 24.5 s after it was
    // stamped: late, not on another clock.
    std::vector<Micros> edges;
    for (int i = 0; i < 30; ++i)
        edges.push_back(500 * kMs + i * kSecond);
    registerEdgeSource("stalled-chip", [edges](const GpioLineSpec&) {
        return std::make_unique<LateReaderSource>(edges, 25 * kSecond);
    });
    auto driver = test::makeDriver(
        "anemometer", {{"chip", "stalled-chip"}, {"line", "17"}, {"factor", "1"}, {"factor_unit", "m/s"}});
    driver->open();
    registerEdgeSource("stalled-chip", {});
    const std::vector<Period> periods = runPeriods(*driver, 3);
    for (int i = 0; i < 3; ++i) {
        EXPECT_NEAR(periods[i].speed, 1.0, kTolerance) << "period " << i;
        EXPECT_NEAR(periods[i].gust, 1.0, kTolerance) << "period " << i;
    }
    EXPECT_EQ(periods[1].time - periods[0].time, 10 * kSecond);
    EXPECT_EQ(periods[2].time - periods[1].time, 10 * kSecond);
}

/// A line on a Linux kernel before 5.7: its clock is CLOCK_MONOTONIC, but the kernel stamps its
/// events with CLOCK_REALTIME, here that of a board booted at 2024-01-01 00:00 UTC.
class RealtimeStampingSource : public EdgeSource {
public:
    static constexpr Micros kBootTime = 1704067200 * kSecond;

    explicit RealtimeStampingSource(std::shared_ptr<testing::ScriptedEdgeSource> script)
        : _script(std::move(script)) {}

    std::optional<EdgeEvent> next(Micros timeout) override {
        std::optional<EdgeEvent> edge = _script->next(timeout);
        if (edge)
            edge->time += kBootTime;
        return edge;
    }
    Micros now() const override { return _script->now(); }
    std::string describe() const override { return "old-kernel-chip line 17"; }

private:
    std::shared_ptr<testing::ScriptedEdgeSource> _script;
};

TEST_F(AnemometerDriver, EdgesStampedOnAnotherClockThanTheLinesAreAnErrorNamingTheLine) {
    auto script = std::make_shared<testing::ScriptedEdgeSource>();
    script->addPulses(50 * kMs, 100 * kMs, 100);  // 10 Hz, which would read as 0 m/s forever
    registerEdgeSource("old-kernel-chip", [script](const GpioLineSpec&) {
        return std::make_unique<RealtimeStampingSource>(script);
    });
    auto driver = test::makeDriver("anemometer", {{"chip", "old-kernel-chip"}, {"line", "17"}});
    driver->open();
    registerEdgeSource("old-kernel-chip", {});
    try {
        runPeriods(*driver, 1);
        FAIL() << "no error";
    } catch (const BusError& error) {
        EXPECT_THAT(error.what(), HasSubstr("old-kernel-chip line 17"));
        EXPECT_THAT(error.what(), HasSubstr("not on CLOCK_MONOTONIC"));
        EXPECT_THAT(error.what(), HasSubstr("Linux 5.7"));
    }
    EXPECT_EQ(script->pending(), 99u) << "the first edge is the one checked";
}

TEST_F(AnemometerDriver, PeriodIsConfigurable) {
    script().addPulses(50 * kMs, 250 * kMs, 240);  // 4 Hz for 60 s
    auto driver = openDriver({{"period", "1m"}, {"factor", "1"}, {"factor_unit", "m/s"}});
    Micros runStart = 0;
    const std::vector<Period> periods = runPeriods(*driver, 2, &runStart);
    EXPECT_NEAR(periods[0].speed, 4.0, kTolerance);
    EXPECT_NEAR(periods[0].gust, 4.0, kTolerance);
    EXPECT_EQ(periods[1].time - periods[0].time, 60 * kSecond);
}

TEST_F(AnemometerDriver, OnlyTheConfiguredEdgeCounts) {
    for (int i = 0; i < 20; ++i) {  // 2 Hz: the switch closes (falling) and opens 40 ms later (rising)
        script().add({100 * kMs + i * 500 * kMs, false});
        script().add({140 * kMs + i * 500 * kMs, true});
    }
    script().add({9900 * kMs, true});  // one more opening: 21 rising edges, 20 falling
    auto driver = openDriver({{"edge", "rising"}, {"factor", "1"}, {"factor_unit", "m/s"}});
    const std::vector<Period> periods = runPeriods(*driver, 1);
    EXPECT_NEAR(periods[0].speed, 2.1, kTolerance);
}

TEST_F(AnemometerDriver, OptionsMakeTheLineRequest) {
    openDriver();
    openDriver({{"line", "GPIO6"}, {"edge", "rising"}, {"bias", "pull_down"}});
    openDriver({{"bias", "as_is"}});
    ASSERT_EQ(requestedSpecs().size(), 3u);
    EXPECT_EQ(requestedSpecs()[0].chip, "fake-chip");
    EXPECT_EQ(requestedSpecs()[0].line, "17");
    EXPECT_EQ(requestedSpecs()[0].edges, Edges::Both);  // debouncing needs both
    EXPECT_EQ(requestedSpecs()[0].bias, Bias::PullUp);
    EXPECT_EQ(requestedSpecs()[1].line, "GPIO6");
    EXPECT_EQ(requestedSpecs()[1].edges, Edges::Both);
    EXPECT_EQ(requestedSpecs()[1].bias, Bias::PullDown);
    EXPECT_EQ(requestedSpecs()[2].bias, Bias::AsIs);
}

TEST_F(AnemometerDriver, ChannelsAreSpeedAndGustInMetresPerSecond) {
    auto driver = openDriver({{"factor", "1"}, {"factor_unit", "m/s"}, {"debounce", "20ms"}});
    EXPECT_TRUE(driver->eventDriven());
    const std::vector<Channel> channels = driver->channels();
    ASSERT_EQ(channels.size(), 2u);
    EXPECT_EQ(channels[0].quantity, Quantity::WindSpeed);
    EXPECT_EQ(channels[1].quantity, Quantity::WindGust);
    EXPECT_STREQ(info(channels[0].quantity).unit, "m/s");
    EXPECT_STREQ(info(channels[1].quantity).unit, "m/s");
    EXPECT_EQ(channels[0].min, 0.0);
    EXPECT_NEAR(channels[0].max, 50.0, kTolerance);  // at most one pulse per 20 ms: 50 Hz
}

TEST_F(AnemometerDriver, ConfigurationMistakesAreRejected) {
    EXPECT_THROW(test::makeDriver("anemometer", {{"chip", "fake-chip"}}), std::runtime_error);  // no line
    try {
        test::makeDriver("anemometer", {{"line", "17"}, {"factor", "0"}});
        FAIL() << "no error";
    } catch (const OptionError& error) {
        EXPECT_EQ(error.key(), "factor");
    }
    EXPECT_THROW(test::makeDriver("anemometer", {{"line", "17"}, {"period", "2s"}}), std::runtime_error);
    EXPECT_THROW(test::makeDriver("anemometer", {{"line", "17"}, {"factor_unit", "knots"}}),
                 std::runtime_error);
}

TEST_F(AnemometerDriver, AMissingChipFailsToOpenNamingIt) {
    auto driver = test::makeDriver("anemometer", {{"chip", "no-such-gpiochip"}, {"line", "17"}});
    try {
        driver->open();
        FAIL() << "no error";
    } catch (const BusError& error) {
        EXPECT_THAT(error.what(), HasSubstr("no-such-gpiochip"));
    }
}

TEST_F(AnemometerDriver, RunningUnopenedIsAProgrammingError) {
    auto driver = test::makeDriver("anemometer", {{"chip", "fake-chip"}, {"line", "17"}});
    RecordingEmitter emitter;
    StopToken stop;
    EXPECT_THROW(driver->run(emitter, stop), std::logic_error);
}

/// A factor in one unit and what it is in m/s per Hz.
struct FactorCase {
    const char* factor;
    const char* unit;
    double metresPerPulse;
};

void PrintTo(const FactorCase& factor, std::ostream* out) {
    *out << factor.factor << " " << factor.unit;
}

class AnemometerFactorUnits : public AnemometerDriver, public ::testing::WithParamInterface<FactorCase> {};

TEST_P(AnemometerFactorUnits, FactorIsConvertedToMetresPerSecond) {
    script().addPulses(50 * kMs, 100 * kMs, 100);  // 10 Hz for 10 s
    auto driver = openDriver({{"factor", GetParam().factor}, {"factor_unit", GetParam().unit}});
    const std::vector<Period> periods = runPeriods(*driver, 1);
    EXPECT_NEAR(periods[0].speed, 10 * GetParam().metresPerPulse, kTolerance);
    EXPECT_NEAR(periods[0].gust, 10 * GetParam().metresPerPulse, kTolerance);
}

INSTANTIATE_TEST_SUITE_P(Units, AnemometerFactorUnits,
                         ::testing::Values(FactorCase{"2.4", "km/h", 2.4 * 1000.0 / 3600.0},  // SparkFun
                                           FactorCase{"2.25", "mph", 2.25 * 0.44704},         // Davis 6410
                                           FactorCase{"0.6667", "m/s", 0.6667}),
                         [](const ::testing::TestParamInfo<FactorCase>& info) {
                             return std::string(info.param.unit[0] == 'k'   ? "KilometresPerHour"
                                                : info.param.unit[1] == 'p' ? "MilesPerHour"
                                                                            : "MetresPerSecond");
                         });

}  // namespace
}  // namespace citysense
