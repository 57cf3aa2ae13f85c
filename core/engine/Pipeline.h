// Drivers → filters (in order) → sinks. A pipeline owns its filter instances; samples from several
// drivers pass its filters one batch at a time.
#pragma once

#include "SinkRunner.h"

#include <citysense/Filter.h>

#include <functional>
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

    /// Hands a station's announcement to every sink, past the filters (they see samples only).
    void announce(const Announcement& announcement);

    /// Lets each filter emit what is due at `now`; that output continues down the chain.
    void flush(Micros now);

    const std::string& name() const { return _name; }

    /// For a reload, before this pipeline runs and once `predecessor` no longer does: each filter
    /// here whose namesake in `predecessor` (same instance name) `sameKind` accepts takes over its
    /// state (Filter::takeOver()). A takeOver() that throws is logged and changes nothing.
    void takeOverFilters(Pipeline& predecessor,
                         const std::function<bool(const Filter& mine, const Filter& theirs)>& sameKind);
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
