// The sql sink on a real three-node MariaDB Galera cluster: two sinks writing the same new stations
// and sensors through different nodes at the same moment (their transactions conflict at certification,
// error 1213, and are run again at once, each counted as a conflict_retry; what still fails, the host's
// retry writes) lose nothing and store nothing twice; a sink whose node is killed moves on to the next of
// its hosts (a failover, counted) and the killed node, started again, catches up with every row.
#include "GaleraCluster.h"
#include "PluginHarness.h"
#include "RecordingLog.h"

#include <citysense/EventCounts.h>
#include <citysense/Sink.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <string>
#include <thread>
#include <vector>

namespace citysense {
namespace {

using namespace test;

constexpr Micros kTime = 1764000000000000;  // 2025-11-24 16:00:00 UTC

class SqlSinkGalera : public ::testing::Test {
protected:
    GaleraCluster _cluster;

    /// A sink on the cluster's nodes in the order `nodes`.
    std::unique_ptr<Sink> sinkThrough(const std::vector<std::size_t>& nodes) {
        std::string hosts;
        for (const std::size_t node : nodes)
            hosts += (hosts.empty() ? "" : ", ") + std::string("127.0.0.1:") +
                     std::to_string(_cluster.node(node).port());
        auto sink = makeSink("sql", {{"connector", "mysql"},
                                     {"connection", "db=citysense;user=ingest"},
                                     {"hosts", hosts},
                                     {"password_file", _cluster.node(0).passwordFile()},
                                     {"create_schema", "true"}});
        sink->open();
        return sink;
    }

    /// `count` readings of `quantity` at street `street`, a second apart from `first`.
    static SampleBatch readings(const std::string& street, Quantity quantity, int first, int count) {
        const Source* source = Source::intern({"hypo_city", "city_01", street}, "driver.test");
        SampleBatch batch;
        for (int i = first; i < first + count; ++i) {
            Sample sample = testSample(quantity, i, kTime + Micros(i) * 1000000);
            sample.source = source;
            batch.push_back(sample);
        }
        return batch;
    }
};

TEST_F(SqlSinkGalera, TwoSinksOnTwoNodesCreatingTheSameSensorsAtOnceLoseNothing) {
    RecordingLog log("sink.test");
    auto first = sinkThrough({0, 1, 2});
    auto second = sinkThrough({1, 2, 0});
    constexpr int kStreets = 20;
    constexpr int kHostAttempts = 5;
    for (int street = 0; street < kStreets; ++street) {
        // Both sinks see the new street's station and sensor first in the same moment, on two nodes.
        const std::string name = "street_" + std::to_string(street);
        std::atomic<int> ready{0};
        std::string errors[2];
        const auto writer = [&](Sink& sink, Quantity quantity, int slot) {
            ++ready;
            while (ready < 2)
                std::this_thread::yield();
            // A write that still fails is written again, as the host does from its spool: a
            // transaction the cluster aborts while a statement runs may fail as something else than a
            // conflict (a failed fetch), and only the end result counts.
            const auto deliver = [&](const SampleBatch& batch) {
                for (int attempt = 1; attempt <= kHostAttempts; ++attempt) {
                    try {
                        sink.write(batch);
                        return;
                    } catch (const std::exception& error) {
                        if (attempt == kHostAttempts)
                            errors[slot] = error.what();
                    }
                }
            };
            deliver(readings(name, quantity, 0, 50));
            deliver(readings(name, Quantity::Temperature, slot * 50, 50));
        };
        std::thread a(writer, std::ref(*first), Quantity::NO2, 0);
        std::thread b(writer, std::ref(*second), Quantity::SO2, 1);
        a.join();
        b.join();
        EXPECT_EQ(errors[0], "") << name;
        EXPECT_EQ(errors[1], "") << name;
    }
    // The cluster did abort some of them at certification: what this test is about.
    EXPECT_GT(log.count(Poco::Message::PRIO_INFORMATION, "aborted for a conflict"), 0);
    EXPECT_EQ(
        first->eventCounts().count("conflict_retry") + second->eventCounts().count("conflict_retry"),
        static_cast<std::uint64_t>(log.count(Poco::Message::PRIO_INFORMATION, "aborted for a conflict")));
    // Per street: 50 no2, 50 so2 and 100 temperature readings, in one station with three sensors, on
    // every node.
    for (std::size_t node = 0; node < _cluster.size(); ++node) {
        EXPECT_EQ(_cluster.node(node).query("SELECT count(*) FROM stations"),
                  std::to_string(kStreets) + "\n");
        EXPECT_EQ(_cluster.node(node).query("SELECT count(*) FROM sensors"),
                  std::to_string(3 * kStreets) + "\n");
        EXPECT_EQ(_cluster.node(node).query("SELECT count(*) FROM readings"),
                  std::to_string(200 * kStreets) + "\n");
    }
}

TEST_F(SqlSinkGalera, ASinkWhoseNodeIsKilledWritesToTheNextAndTheNodeCatchesUpWhenBack) {
    auto sink = sinkThrough({1, 2, 0});
    sink->write(readings("street_01", Quantity::NO2, 0, 100));
    _cluster.node(1).kill();
    const SampleBatch during = readings("street_01", Quantity::NO2, 100, 100);
    EXPECT_THAT(errorOf([&] { sink->write(during); }), ::testing::HasSubstr("cannot write to MariaDB"));
    sink->write(during);  // the host's retry, which reaches node 2
    EXPECT_EQ(sink->eventCounts().count("failover"), 1u);
    sink->write(readings("street_01", Quantity::NO2, 200, 100));
    EXPECT_EQ(_cluster.node(2).query("SELECT count(*), min(value), max(value) FROM readings"),
              "300\t0\t299\n");

    _cluster.node(1).start();  // back, with what it missed copied from the others
    EXPECT_EQ(_cluster.clusterSize(1), 3);
    for (std::size_t node = 0; node < _cluster.size(); ++node)
        EXPECT_EQ(_cluster.node(node).query("SELECT count(*), min(value), max(value) FROM readings"),
                  "300\t0\t299\n")
            << "node " << node;
}

}  // namespace
}  // namespace citysense
