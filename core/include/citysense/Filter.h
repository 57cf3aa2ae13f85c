// A filter sits between a pipeline's drivers and its sinks and rewrites batches in place: it may
// drop, change or add samples. The host serialises calls on one instance.
#pragma once

#include <citysense/Plugin.h>

namespace citysense {

class Filter : public Plugin {
public:
    ~Filter() override;

    virtual void process(SampleBatch& batch) = 0;

    /// Called about once a second with the current time, and with the largest Micros at shutdown:
    /// appends to `out` what is due (e.g. windows that have closed).
    virtual void flush(Micros now, SampleBatch& out);
};

}  // namespace citysense
