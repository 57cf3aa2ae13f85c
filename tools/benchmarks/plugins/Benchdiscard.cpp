// Benchmark sink: touches every sample and throws it away.
#include <citysense/Export.h>

namespace {

using namespace citysense;

class BenchDiscard : public Sink {
public:
    const OptionTable& options() const override {
        static const OptionTable none;
        return none;
    }
    void configure(const Options&) override {}
    void write(const SampleBatch& batch) override {
        for (const auto& sample : batch)
            _checksum += sample.value;
    }

private:
    volatile double _checksum = 0;
};

}  // namespace

CITYSENSE_SINK(BenchDiscard, "bench_discard", "1.0.0", "Benchmark: discards every sample")
