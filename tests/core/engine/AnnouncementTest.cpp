// Announcements on the host's side: what a host announces to each sink from its plan (interval, window
// period, deadband silence, position), how a sink runner hands announcements over (on its thread,
// before the next write, the newest of a station only, again after a failure), and that a sink of
// ABI 1.2, which has no announce() in its vtable, is never asked. And the status of an engine with a
// filter that no pipeline uses (which the reload test of the mqtt sink's announcements met).
#include "Gate.h"
#include "LoadingSupport.h"

#include <engine/Config.h>
#include <engine/Engine.h>
#include <engine/HostAnnouncement.h>
#include <engine/PendingAnnouncements.h>
#include <engine/Plan.h>
#include <engine/SinkRunner.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <mutex>
#include <stdexcept>
#include <thread>

namespace citysense {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::SizeIs;

constexpr Micros kSecond = kMicrosPerSecond;

struct LoadedPlan {
    std::unique_ptr<PluginRegistry> registry = std::make_unique<PluginRegistry>();
    Plan plan;
    std::vector<ConfigIssue> issues;
};

LoadedPlan load(const test::ScratchDir& dir, const std::string& text, std::vector<std::string> pluginPath) {
    LoadedPlan loaded;
    const ConfigDocument document = readConfigFile(dir.write("citysense.ini", text));
    pluginPath.push_back(CITYSENSE_TEST_PLUGIN_DIR);
    loaded.registry->scan(pluginPath);
    loaded.plan = makePlan(document, *loaded.registry, loaded.issues);
    for (const auto& issue : loaded.issues)
        EXPECT_TRUE(issue.warning) << formatIssue("citysense.ini", issue);
    return loaded;
}

const char* const kThreePipelines =
    "latitude = 52.37\nlongitude = 4.89\n\n"
    "[driver.air]\nplugin = simulated\ninterval = 5s\nquantities = temperature, humidity\n"
    "[driver.no2]\nplugin = simulated\ninterval = 2s\nquantities = no2\n"
    "[filter.minute]\nplugin = window\nperiod = 1m\n"
    "[filter.quiet]\nplugin = deadband\nmax_silence = 15m\n"
    "[filter.changes]\nplugin = deadband\n"
    "[sink.plain]\nplugin = console\n"
    "[sink.averaged]\nplugin = console\n"
    "[sink.changes]\nplugin = console\n"
    "[pipeline.plain]\ndrivers = air\nsinks = plain\n"
    "[pipeline.averaged]\ndrivers = air, no2\nfilters = minute\nsinks = averaged\n"
    "[pipeline.changes]\ndrivers = no2\nfilters = quiet\nsinks = changes\n"
    "[pipeline.unbounded]\ndrivers = air\nfilters = changes\nsinks = changes\n";

std::vector<Channel> channelsOf(const std::string& driver) {
    if (driver == "driver.air")
        return {{Quantity::Temperature, -40, 85}, {Quantity::Humidity, 0, 100}};
    if (driver == "driver.no2")
        return {{Quantity::NO2, 0, 1000}};
    return {};
}

std::string text(const AnnouncedChannel& channel) {
    return channel.driver + " " + info(channel.quantity).name + " " +
           std::to_string(channel.interval / kSecond) + "s" +
           (channel.onChange
                ? " on change, silent up to " + std::to_string(channel.maxSilence / kSecond) + "s"
                : "");
}

std::vector<std::string> texts(const Announcement& announcement) {
    std::vector<std::string> result;
    for (const auto& channel : announcement.channels)
        result.push_back(text(channel));
    return result;
}

TEST(HostAnnouncement, EachSinkHearsOfTheSeriesItGetsAsItsPipelineTimesThem) {
    const test::ScratchDir dir;
    const LoadedPlan loaded = load(dir, test::configText({}, kThreePipelines), {});
    const auto announcements = hostAnnouncements(loaded.plan, *loaded.registry, channelsOf);
    ASSERT_THAT(announcements, SizeIs(3));
    const Announcement& plain = announcements.at("sink.plain");
    EXPECT_EQ(plain.station.street, "street_01");
    EXPECT_TRUE(plain.station.hasPosition);
    EXPECT_DOUBLE_EQ(plain.station.latitude, 52.37);
    EXPECT_DOUBLE_EQ(plain.station.longitude, 4.89);
    EXPECT_THAT(texts(plain), ElementsAre("driver.air temperature 5s", "driver.air humidity 5s"));
    EXPECT_EQ(plain.channels[0].plugin, "simulated");
    EXPECT_EQ(plain.channels[0].pluginVersion, loaded.registry->find("simulated")->version);
    EXPECT_THAT(texts(announcements.at("sink.averaged")),
                ElementsAre("driver.air temperature 60s", "driver.air humidity 60s", "driver.no2 no2 60s"));
    EXPECT_THAT(texts(announcements.at("sink.changes")),
                ElementsAre("driver.no2 no2 2s on change, silent up to 900s",
                            "driver.air temperature 5s on change, silent up to 0s",
                            "driver.air humidity 5s on change, silent up to 0s"));
}

TEST(HostAnnouncement, AHostThatOnlyRelaysOthersAnnouncesNothingOfItself) {
    const test::ScratchDir dir;
    const LoadedPlan loaded = load(
        dir,
        test::configText({},
                         "[driver.air]\nplugin = simulated\nquantities = no2\n[sink.out]\nplugin = console\n"
                         "[pipeline.p]\ndrivers = air\nsinks = out\n"),
        {});
    const auto eventDriven = [](const std::string&) { return std::vector<Channel>(); };
    EXPECT_THAT(hostAnnouncements(loaded.plan, *loaded.registry, eventDriven), IsEmpty());
    EXPECT_THAT(hostAnnouncements(loaded.plan, *loaded.registry, channelsOf), SizeIs(1));
}

Announcement of(const std::string& street, Micros interval) {
    Announcement announcement;
    announcement.station = {"hypo_city", "city_01", street};
    announcement.channels.push_back({"driver.air", Quantity::NO2, "simulated", "1.0.0", interval});
    return announcement;
}

TEST(PendingAnnouncements, TheNewestOfAStationReplacesOneStillWaiting) {
    PendingAnnouncements pending;
    EXPECT_TRUE(pending.offer(of("b", 1)));
    EXPECT_TRUE(pending.offer(of("a", 1)));
    EXPECT_TRUE(pending.offer(of("b", 2)));
    std::vector<std::string> handed;
    pending.handOver([&](const Announcement& announcement) {
        handed.push_back(announcement.station.street + std::to_string(announcement.channels[0].interval));
    });
    EXPECT_THAT(handed, ElementsAre("a1", "b2"));
    EXPECT_TRUE(pending.empty());
}

TEST(PendingAnnouncements, WhatFailsWaitsAgainWithTheRestUnlessANewerCame) {
    PendingAnnouncements pending;
    pending.offer(of("a", 1));
    pending.offer(of("b", 1));
    pending.offer(of("c", 1));
    EXPECT_THROW(pending.handOver([&](const Announcement& announcement) {
        if (announcement.station.street == "b") {
            pending.offer(of("b", 7));
            throw std::runtime_error("database down");
        }
    }),
                 std::runtime_error);
    std::vector<std::string> handed;
    pending.handOver([&](const Announcement& announcement) {
        handed.push_back(announcement.station.street + std::to_string(announcement.channels[0].interval));
    });
    EXPECT_THAT(handed, ElementsAre("b7", "c1"));
}

/// Records the order of the calls it gets; announce() fails while `failAnnounce` is set.
class AnnouncedSink : public Sink {
public:
    std::mutex mutex;
    std::vector<std::string> calls;
    std::atomic<bool> failAnnounce{false};
    std::atomic<bool> refuseAnnounce{false};
    std::thread::id announcingThread;
    std::thread::id writingThread;

    const OptionTable& options() const override {
        static const OptionTable none;
        return none;
    }
    void configure(const Options&) override {}
    void open() override { record("open"); }
    void write(const SampleBatch& batch) override {
        writingThread = std::this_thread::get_id();
        record("write " + std::to_string(batch.size()));
    }
    void announce(const Announcement& announcement) override {
        announcingThread = std::this_thread::get_id();
        if (failAnnounce)
            throw std::runtime_error("cannot record it");
        if (refuseAnnounce)
            throw PermanentWriteError("a name the store cannot hold");
        record("announce " + announcement.station.street);
    }
    std::vector<std::string> seen() {
        std::lock_guard<std::mutex> lock(mutex);
        return calls;
    }

private:
    void record(const std::string& call) {
        std::lock_guard<std::mutex> lock(mutex);
        calls.push_back(call);
    }
};

const Station kStation{"hypo_city", "city_01", "street_01"};

struct RunnerUnderTest {
    AnnouncedSink* sink;
    std::unique_ptr<SinkRunner> runner;
};

RunnerUnderTest makeRunner(bool takesAnnouncements) {
    auto sink = std::make_unique<AnnouncedSink>();
    sink->attach({"sink.announced", kStation, Source::intern(kStation, "sink.announced")});
    AnnouncedSink* raw = sink.get();
    auto runner = std::make_unique<SinkRunner>(std::move(sink), "announced", 100, 10, Backoff(1000, 4000));
    runner->setTakesAnnouncements(takesAnnouncements);
    return {raw, std::move(runner)};
}

SampleBatch one() {
    return {{Quantity::NO2, QualityOk, 1.0, 0, Source::intern(kStation, "driver.air")}};
}

bool eventually(const std::function<bool()>& condition) {
    for (int i = 0; i < 20000; ++i) {
        if (condition())
            return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return false;
}

TEST(SinkRunnerAnnouncements, AreHandedOverOnTheSinksThreadOnceOpenAndBeforeTheNextWrite) {
    auto [sink, runner] = makeRunner(true);
    runner->announce(of("street_01", kSecond));
    runner->start();
    runner->enqueue(one());
    ASSERT_TRUE(eventually([&] { return sink->seen().size() == 3; }));
    runner->announce(of("street_02", kSecond));
    runner->announce(of("street_03", kSecond));
    runner->enqueue(one());
    ASSERT_TRUE(eventually([&] { return sink->seen().size() == 6; }));
    runner->stop(kSecond);
    EXPECT_THAT(sink->seen(), ElementsAre("open", "announce street_01", "write 1", "announce street_02",
                                          "announce street_03", "write 1"));
    EXPECT_EQ(sink->announcingThread, sink->writingThread);
}

TEST(SinkRunnerAnnouncements, OneTheSinkFailsIsOfferedAgainAndTheSamplesGoOn) {
    auto [sink, runner] = makeRunner(true);
    sink->failAnnounce = true;
    runner->announce(of("street_01", kSecond));
    runner->start();
    runner->enqueue(one());
    ASSERT_TRUE(eventually([&] { return sink->seen().size() == 2; }));
    sink->failAnnounce = false;
    runner->enqueue(one());
    ASSERT_TRUE(eventually([&] { return sink->seen().size() == 4; }));
    runner->stop(kSecond);
    EXPECT_THAT(sink->seen(), ElementsAre("open", "write 1", "announce street_01", "write 1"));
}

TEST(SinkRunnerAnnouncements, OneTheSinkRefusesIsCountedAndNotOfferedAgain) {
    auto [sink, runner] = makeRunner(true);
    sink->refuseAnnounce = true;
    runner->announce(of("street_01", kSecond));
    runner->start();
    runner->enqueue(one());
    ASSERT_TRUE(eventually([&] { return sink->seen().size() == 2; }));
    sink->refuseAnnounce = false;
    runner->enqueue(one());
    ASSERT_TRUE(eventually([&] { return sink->seen().size() == 3; }));
    runner->stop(kSecond);
    EXPECT_THAT(sink->seen(), ElementsAre("open", "write 1", "write 1"));
    EXPECT_EQ(sink->dropCounts().count("announcement_refused"), 1u);
}

TEST(SinkRunnerAnnouncements, ASinkThatTakesNoneIsNeverAsked) {
    auto [sink, runner] = makeRunner(false);
    runner->announce(of("street_01", kSecond));
    runner->start();
    runner->enqueue(one());
    ASSERT_TRUE(eventually([&] { return sink->seen().size() == 2; }));
    runner->stop(kSecond);
    EXPECT_THAT(sink->seen(), ElementsAre("open", "write 1"));
}

TEST(EngineAnnouncements, ASinkOfAbi1_2IsNeverAskedToAnnounce) {
    const test::ScratchDir dir;
    const LoadedPlan loaded = load(dir,
                                   test::configText({test::fixtureDir("abi_v1_2_sink")},
                                                    "spool_dir =\n"
                                                    "[driver.air]\nplugin = simulated\nquantities = no2\n"
                                                    "[sink.old]\nplugin = fixture_abi_1_2_sink\n"
                                                    "[pipeline.p]\ndrivers = air\nsinks = old\n"),
                                   {test::fixtureDir("abi_v1_2_sink")});
    ASSERT_NE(loaded.registry->find("fixture_abi_1_2_sink"), nullptr);
    ASSERT_EQ(loaded.registry->find("fixture_abi_1_2_sink")->abiMinor, 2u);
    std::vector<ConfigIssue> issues;
    Engine engine(loaded.plan, *loaded.registry, issues);
    ASSERT_THAT(issues, IsEmpty());
    EXPECT_TRUE(engine.runOnce());  // the fixture's announce() would abort the process
    EXPECT_EQ(engine.status().back().delivered, 1u);
}

TEST(EngineStatus, AFilterNoPipelineUsesIsReportedWithoutFailing) {
    // Such a filter is only a warning; status() once looked its drop counts up and threw (map::at), which
    // a reload of such a configuration met when it logged the replaced configuration's counts.
    const test::ScratchDir dir;
    const LoadedPlan loaded =
        load(dir,
             test::configText({},
                              "spool_dir =\n[driver.air]\nplugin = simulated\nquantities = no2\n"
                              "[filter.idle]\nplugin = deadband\n[sink.out]\nplugin = console\n"
                              "[pipeline.p]\ndrivers = air\nsinks = out\n"),
             {});
    std::vector<ConfigIssue> issues;
    Engine engine(loaded.plan, *loaded.registry, issues);
    std::vector<InstanceStatus> status;
    ASSERT_NO_THROW(status = engine.status());
    EXPECT_TRUE(std::any_of(status.begin(), status.end(),
                            [](const InstanceStatus& instance) { return instance.name == "filter.idle"; }));
}

}  // namespace
}  // namespace citysense
