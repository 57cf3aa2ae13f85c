// A sink delivers batches somewhere (a console, a broker, a database). The host gives every sink
// instance its own thread and bounded queue: write() is only ever called from that thread, and may
// block or throw without holding up drivers or other sinks. A throwing write() is retried with
// backoff; the batch is not lost. A write() that fails because of the samples themselves, not the
// connection, throws PermanentWriteError: the host then finds the samples the sink refuses and sets
// them aside (the dead-letter file) instead of retrying them forever ahead of everything else.
#pragma once

#include <citysense/Announcement.h>
#include <citysense/ControlChannel.h>
#include <citysense/Plugin.h>

#include <stdexcept>

namespace citysense {

/// Thrown by Sink::write() when the server refuses the data of the batch and would refuse it again
/// however often it were retried (a constraint the data breaks, a payload the broker rejects), while
/// the connection itself works. Throw a plain exception when unsure: the host retries that, and
/// sets a sample aside only after the sink's max_attempts and a sign that the sink works (ABI 1.2).
class PermanentWriteError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
    ~PermanentWriteError() override;
};

class Sink : public Plugin {
public:
    ~Sink() override;

    virtual void open() {}
    virtual void write(const SampleBatch& batch) = 0;
    /// Called after the last write, at shutdown.
    virtual void close() {}

    /// What a station says about itself (Announcement.h): the host's own, once the sink is open and
    /// again after every reload, and those an event-driven driver emits for other stations (an
    /// ingest's). Called on the sink's thread, after open() and before the next write(); a newer
    /// announcement of a station replaces one not yet handed over. A throw is logged and the
    /// announcement offered again before the next write; PermanentWriteError refuses it for good (it is
    /// counted as dropped). The default ignores it. Added at the end of
    /// Sink's vtable in ABI 1.3: the host calls it only on sinks built for 1.3 or later.
    virtual void announce(const Announcement& announcement);

    /// A channel over the sink's own connection that the host may use for messages about the station
    /// (ControlChannel.h), or nullptr (the default). Owned by the sink and valid as long as it is.
    /// Since ABI 1.3: the host asks only sinks built for 1.3 or later.
    virtual ControlChannel* controlChannel() { return nullptr; }
};

}  // namespace citysense
