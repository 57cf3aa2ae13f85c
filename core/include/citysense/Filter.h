// A filter sits between a pipeline's drivers and its sinks and rewrites batches in place: it may
// drop, change or add samples. The host serialises calls on one instance.
#pragma once

#include <citysense/Plugin.h>

namespace citysense {

class Filter : public Plugin {
public:
    ~Filter() override;

    virtual void process(SampleBatch& batch) = 0;

    /// Called about once a second with the current time, and at a stop (or a reload) once more with
    /// the current time and then with the largest Micros: appends to `out` what is due (e.g. windows
    /// that have closed). The largest Micros means that nothing more will come: a window still open
    /// then has not reached its end.
    virtual void flush(Micros now, SampleBatch& out);

    /// For a reload (ABI 1.2): called on this instance, configured but not yet running, when the
    /// configuration it replaces had a filter of the same name and plugin in the same pipeline,
    /// once that one has stopped processing. Takes from `predecessor` what it still holds (e.g. open
    /// windows) and should go on here; what it leaves is flushed from `predecessor` as at a stop.
    /// `predecessor` may come from another build of the plugin: check its type (dynamic_cast).
    /// The default takes nothing.
    virtual void takeOver(Filter& predecessor);
};

}  // namespace citysense
