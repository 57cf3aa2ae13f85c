// A sink delivers batches somewhere (a console, a broker, a database). The host gives every sink
// instance its own thread and bounded queue: write() is only ever called from that thread, and may
// block or throw without holding up drivers or other sinks. A throwing write() is retried with
// backoff; the batch is not lost.
#pragma once

#include <citysense/Plugin.h>

namespace citysense {

class Sink : public Plugin {
public:
    ~Sink() override;

    virtual void open() {}
    virtual void write(const SampleBatch& batch) = 0;
    /// Called after the last write, at shutdown.
    virtual void close() {}
};

}  // namespace citysense
