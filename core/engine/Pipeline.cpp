#include "Pipeline.h"

#include "CurrentException.h"

#include <Poco/Logger.h>

namespace citysense {

Pipeline::Pipeline(std::string name, std::vector<std::unique_ptr<Filter>> filters,
                   std::vector<SinkRunner*> sinks)
    : _name(std::move(name)), _filters(std::move(filters)), _sinks(std::move(sinks)) {}

void Pipeline::filterFrom(std::size_t first, SampleBatch& batch) {
    for (std::size_t i = first; i < _filters.size() && !batch.empty(); ++i) {
        try {
            _filters[i]->process(batch);
        } catch (...) {
            // A broken filter must not lose readings: the batch goes on as the filter left it.
            _filters[i]->logger().error("pipeline." + _name +
                                        ": filter failed, batch passed on: " + currentExceptionText());
        }
    }
}

void Pipeline::send(SampleBatch&& batch) {
    if (batch.empty() || _sinks.empty())
        return;
    for (std::size_t i = 0; i + 1 < _sinks.size(); ++i)
        _sinks[i]->enqueue(SampleBatch(batch));
    _sinks.back()->enqueue(std::move(batch));
}

void Pipeline::filterAndEnqueue(SampleBatch&& batch) {
    {
        std::lock_guard<std::mutex> lock(_mutex);
        filterFrom(0, batch);
    }
    send(std::move(batch));
}

void Pipeline::announce(const Announcement& announcement) {
    for (SinkRunner* sink : _sinks)
        sink->announce(announcement);
}

void Pipeline::flush(Micros now) {
    SampleBatch due;
    {
        std::lock_guard<std::mutex> lock(_mutex);
        for (std::size_t i = 0; i < _filters.size(); ++i) {
            SampleBatch out;
            try {
                _filters[i]->flush(now, out);
            } catch (...) {
                _filters[i]->logger().error("pipeline." + _name +
                                            ": flush failed: " + currentExceptionText());
            }
            filterFrom(i + 1, out);
            due.insert(due.end(), out.begin(), out.end());
        }
    }
    send(std::move(due));
}

void Pipeline::takeOverFilters(Pipeline& predecessor,
                               const std::function<bool(const Filter&, const Filter&)>& sameKind) {
    std::lock_guard<std::mutex> lock(predecessor._mutex);
    for (auto& filter : _filters) {
        for (auto& theirs : predecessor._filters) {
            if (theirs->instanceName() != filter->instanceName() || !sameKind(*filter, *theirs))
                continue;
            try {
                filter->takeOver(*theirs);
            } catch (...) {
                filter->logger().error(
                    "pipeline." + _name +
                    ": taking over the replaced filter's state failed: " + currentExceptionText());
            }
        }
    }
}

}  // namespace citysense
