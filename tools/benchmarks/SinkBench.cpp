#include "SinkBench.h"

#include <citysense/Quantity.h>

#include <cstdio>
#include <stdexcept>

namespace citysense::bench {

const Station& benchStation() {
    static const Station gateway{"hypo_city", "city_01", "street_01"};
    return gateway;
}

std::vector<SampleBatch> makeBatches(std::size_t count, const std::string& driver, Micros firstTime) {
    const Source* source = Source::intern(benchStation(), driver);
    const auto& table = quantities();
    std::vector<SampleBatch> batches;
    for (std::size_t next = 0; next < count;) {
        SampleBatch& batch = batches.emplace_back();
        for (std::size_t i = 0; i < kBatch && next < count; ++i, ++next) {
            const QuantityInfo& row = table[next % table.size()];
            const double value = row.physicalMin + static_cast<double>(next % 9973) * 0.01;
            batch.push_back(
                {row.quantity, QualityOk, value, firstTime + static_cast<Micros>(next) * 1000, source});
        }
    }
    return batches;
}

Run timeWrites(Sink& sink, const std::vector<SampleBatch>& batches, long otherPid) {
    std::size_t written = 0;
    const Stopwatch stopwatch(otherPid);
    try {
        for (const auto& batch : batches) {
            sink.write(batch);
            written += batch.size();
        }
        return stopwatch.finish(written);
    } catch (const std::exception& error) {
        Run failed;
        failed.failure =
            "write() of batch " + std::to_string(written / kBatch + 1) + " failed: " + error.what();
        return failed;
    }
}

std::unique_ptr<Sink> openSink(PluginRegistry& registry, const std::string& plugin,
                               const std::map<std::string, std::string>& raw) {
    registry.load(CITYSENSE_PLUGIN_DIR "/citysense-" + plugin + ".so");
    if (!registry.find(plugin)) {
        for (const auto& error : registry.errors())
            std::fprintf(stderr, "%s: %s\n", error.path.c_str(), error.message.c_str());
        throw std::runtime_error("the " + plugin + " plugin did not load from " CITYSENSE_PLUGIN_DIR);
    }
    std::unique_ptr<Sink> sink = registry.createSink(plugin);
    sink->attach({"sink.bench", benchStation(), Source::intern(benchStation(), "sink.bench")});
    std::vector<OptionIssue> issues;
    const Options options = Options::parse(sink->options(), raw, issues);
    if (!issues.empty())
        throw std::runtime_error("sink option " + issues.front().key + ": " + issues.front().message);
    sink->configure(options);
    sink->open();
    return sink;
}

}  // namespace citysense::bench
