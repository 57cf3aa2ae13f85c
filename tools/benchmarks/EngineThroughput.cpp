// Samples per second through the real engine — plugins loaded with the ClassLoader, a driver emitting
// as fast as it can, the range and deadband filters, a sink that discards — beside a baseline
// measured in the same run: the same samples built in a plain loop and handed to a function.
#include "BenchSupport.h"

#include <engine/Engine.h>
#include <engine/Plan.h>
#include <engine/PluginRegistry.h>

#include <unistd.h>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>

namespace {

using namespace citysense;

/// One run: how many samples, in batches of how many.
struct Scenario {
    std::int64_t samples;
    std::int64_t batch;
};

/// What the baseline hands each batch to: the least a sink can do, kept out of the optimiser's reach.
__attribute__((noinline)) double consume(const SampleBatch& batch) {
    double sum = 0;
    for (const auto& sample : batch)
        sum += sample.value;
    return sum;
}

double baselineRate(const Scenario& scenario) {
    const Source* source = Source::intern({"bench", "city", "street"}, "driver.bench");
    volatile double checksum = 0;
    const bench::Stopwatch stopwatch;
    SampleBatch batch;
    for (std::int64_t next = 0; next < scenario.samples;) {
        batch.clear();
        for (std::int64_t i = 0; i < scenario.batch; ++i, ++next)
            batch.push_back(
                {Quantity::Temperature, QualityOk, static_cast<double>(next), nowMicros(), source});
        checksum = checksum + consume(batch);
    }
    return stopwatch.finish(static_cast<std::size_t>(scenario.samples)).rate;
}

std::string writeConfig(const Scenario& scenario) {
    const auto path =
        std::filesystem::temp_directory_path() / ("citysense-bench-" + std::to_string(getpid()) + ".ini");
    std::ofstream(path)
        << "[host]\nsystem = bench\ncity = city\nstreet = street\n"
        << "[driver.fast]\nplugin = bench_source\ntotal = " << scenario.samples
        << "\nbatch = " << scenario.batch << "\n[filter.range]\nplugin = range\n"
        << "[filter.changes]\nplugin = deadband\n"
        << "[sink.discard]\nplugin = bench_discard\nqueue_size = 1000000\nbatch_size = 10000\n"
        << "[pipeline.bench]\ndrivers = fast\nfilters = range, changes\nsinks = discard\n";
    return path.string();
}

struct EngineResult {
    double rate;
    std::uint64_t delivered;
    std::uint64_t dropped;
};

EngineResult engineRate(const Scenario& scenario) {
    PluginRegistry registry;
    registry.scan({CITYSENSE_BENCH_PLUGIN_DIR, CITYSENSE_PLUGIN_DIR});
    const std::string config = writeConfig(scenario);
    std::vector<ConfigIssue> issues;
    const Plan plan = makePlan(readConfigFile(config), registry, issues);
    std::filesystem::remove(config);
    Engine engine(plan, registry, issues);
    if (hasErrors(issues)) {
        for (const auto& issue : issues)
            std::fprintf(stderr, "%s\n", formatIssue(config, issue).c_str());
        std::exit(1);
    }
    const auto sinkStatus = [&] { return engine.status().back(); };
    const bench::Stopwatch stopwatch;
    engine.start();
    while (sinkStatus().delivered + sinkStatus().dropped < static_cast<std::uint64_t>(scenario.samples))
        std::this_thread::sleep_for(std::chrono::microseconds(200));
    const InstanceStatus status = sinkStatus();
    const double rate = stopwatch.finish(status.delivered).rate;
    engine.stop();
    return {rate, status.delivered, status.dropped};
}

}  // namespace

int main() {
    bool allMet = true;
    for (const Scenario scenario : {Scenario{20000000, 1000}, Scenario{2000000, 1}}) {
        std::printf(
            "engine throughput: %lld samples in batches of %lld, range + deadband filters, discarding sink\n",
            static_cast<long long>(scenario.samples), static_cast<long long>(scenario.batch));
        const double baseline = baselineRate(scenario);
        const EngineResult engine = engineRate(scenario);
        std::printf("  baseline (plain loop):   %12.0f samples/s\n", baseline);
        std::printf("  engine (driver -> sink): %12.0f samples/s  (delivered %llu, dropped %llu)\n",
                    engine.rate, static_cast<unsigned long long>(engine.delivered),
                    static_cast<unsigned long long>(engine.dropped));
        std::printf("  ratio engine/baseline:   %12.3f\n", engine.rate / baseline);
        std::printf("  goal >= 1000000 samples/s: %s\n\n", engine.rate >= 1e6 ? "met" : "NOT met");
        allMet = allMet && engine.rate >= 1e6;
    }
    return allMet ? 0 : 1;
}
