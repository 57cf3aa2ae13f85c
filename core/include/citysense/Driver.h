// A driver reads a sensor. Polled drivers implement read(); the host calls it on the instance's
// interval, never concurrently with itself. Event-driven drivers (pulse counters, serial streams,
// subscriptions) return true from eventDriven() and implement run(), which emits until stopped.
// Either way a fault is reported by throwing (the host logs it, marks the instance failing and
// backs off) or by a quality flag on the sample: never by ending the process.
#pragma once

#include <citysense/Announcement.h>
#include <citysense/Plugin.h>
#include <citysense/StopToken.h>

#include <vector>

namespace citysense {

/// A quantity the driver produces and the range its sensor can measure.
struct Channel {
    Quantity quantity;
    double min;
    double max;
};

/// Where an event-driven driver hands its samples.
class Emitter {
public:
    virtual ~Emitter();
    /// Takes the samples out of `batch` (it is left empty).
    virtual void emit(SampleBatch& batch) = 0;

    /// Like emit(), but returns only once the samples are durable: the host keeps them in the
    /// driver's journal on disk (under spool_dir) until every sink they go to has delivered, spooled
    /// or dropped (and counted) them, and replays the journal after a crash. For sources that send
    /// again what they did not acknowledge (an MQTT broker at QoS 1): acknowledge after this returns
    /// and a killed host loses nothing; it may deliver twice. While a sink it goes to is far behind,
    /// it waits for that sink first (the source keeps the rest), so that a backlog arriving all at
    /// once never overflows a sink's queue. Unlike emit(), it may be called from a library's callback
    /// thread as well, one call at a time and never after run() has returned. Without a spool_dir it
    /// is emit() after that wait. Since ABI 1.2.
    virtual void emitDurably(SampleBatch& batch);

    /// Hands what a station announced about itself (Announcement.h, e.g. read from a gateway's retained
    /// document) to the sinks of the pipelines this driver feeds, past the filters. May be called as
    /// emitDurably() may. Since ABI 1.3; the default (a host's emitter does better) ignores it.
    virtual void announce(const Announcement& announcement);
};

class Driver : public Plugin {
public:
    ~Driver() override;

    /// The quantities this instance produces; valid after configure().
    virtual std::vector<Channel> channels() const = 0;

    virtual bool eventDriven() const { return false; }

    /// Acquires the device. Throwing here is a fault like any other: the host retries with backoff.
    virtual void open() {}
    virtual void close() {}

    /// Polled drivers: appends one reading of every channel to `out`.
    virtual void read(SampleBatch& out);

    /// Event-driven drivers: emits samples until `stop` is requested. Call `emitter` only from the
    /// thread that runs run(), and never after run() has returned (a library callback on another
    /// thread hands its samples to run()'s thread, e.g. through a queue; or calls emitDurably()).
    virtual void run(Emitter& emitter, const StopToken& stop);

protected:
    /// A sample of this instance, stamped now unless a time is given.
    Sample makeSample(Quantity quantity, double value, std::uint16_t quality = QualityOk) const;
    Sample makeSample(Quantity quantity, double value, Micros time, std::uint16_t quality) const;
};

}  // namespace citysense
