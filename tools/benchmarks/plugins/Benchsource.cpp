// Benchmark driver: emits `total` temperature samples numbered 0, 1, 2, ... in batches of `batch`,
// as fast as the engine takes them, then waits to be stopped.
#include <citysense/Export.h>

namespace {

using namespace citysense;

class BenchSource : public Driver {
public:
    const OptionTable& options() const override {
        static const OptionTable table = {
            Option::integer("total", "10000000", "Samples to emit").range(1, 1e12),
            Option::integer("batch", "1000", "Samples per emitted batch").range(1, 1e6),
        };
        return table;
    }
    void configure(const Options& options) override {
        _total = options.getInt("total");
        _batch = options.getInt("batch");
    }
    std::vector<Channel> channels() const override { return {{Quantity::Temperature, -90, 60}}; }
    bool eventDriven() const override { return true; }
    void run(Emitter& emitter, const StopToken& stop) override {
        SampleBatch batch;
        for (std::int64_t next = 0; next < _total && !stop.stopRequested();) {
            batch.reserve(static_cast<std::size_t>(_batch));
            for (std::int64_t i = 0; i < _batch && next < _total; ++i, ++next)
                batch.push_back(makeSample(Quantity::Temperature, static_cast<double>(next)));
            emitter.emit(batch);
        }
        while (!stop.waitFor(kMicrosPerSecond)) {
        }
    }

private:
    std::int64_t _total = 0;
    std::int64_t _batch = 0;
};

}  // namespace

CITYSENSE_DRIVER(BenchSource, "bench_source", "1.0.0", "Benchmark: emits numbered samples as fast as it can")
