// Drivers → filters (in order) → sinks. A pipeline owns its filter instances; samples from several
// drivers pass its filters one batch at a time.
#pragma once

#include "SinkRunner.h"

#include <citysense/Filter.h>

#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace citysense {

class Pipeline {
public:
    Pipeline(std::string name, std::vector<std::unique_ptr<Filter>> filters, std::vector<SinkRunner*> sinks);

    /// Runs the batch through the filters and queues the result on every sink.
    void filterAndEnqueue(SampleBatch&& batch);

    /// Lets each filter emit what is due at `now`; that output continues down the chain.
    void flush(Micros now);

    bool hasFilters() const { return !_filters.empty(); }
    const std::vector<SinkRunner*>& sinks() const { return _sinks; }

private:
    void filterFrom(std::size_t first, SampleBatch& batch);
    void send(SampleBatch&& batch);

    const std::string _name;
    std::vector<std::unique_ptr<Filter>> _filters;
    std::vector<SinkRunner*> _sinks;
    std::mutex _mutex;  // filters see one batch at a time
};

}  // namespace citysense
