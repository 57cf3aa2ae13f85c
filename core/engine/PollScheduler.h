// Reads the polled drivers of an engine from one thread, the reader, which sleeps until the next read
// is due and then reads every driver due, so that drivers of one interval cost one wake-up a tick
// between them rather than one each. What they read goes on to the pipelines once the tick's reads
// are done, back to back, so that a sink wakes once for all of it and writes it together. Each
// driver keeps its own schedule: its interval's grid (ReadGrid.h) while it reads, its backoff while
// it fails.
//
// One slow driver still delays no other: a call into a driver (open(), read(), close()) that has not
// returned kHandOffAfter after it began gets the reader's thread for good. From then on that thread
// is the driver's own, which it polls alone as DriverRunner does with a thread of its own (where the
// host can abandon it, CallWatch.h), and a new reader goes on with the other drivers. An overrun
// timer (OverrunTimer.h) watches the calls; as long as every call ends in time, nothing but the
// reader ever wakes.
#pragma once

#include "OverrunTimer.h"

#include <citysense/Sample.h>
#include <citysense/Time.h>

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace citysense {

class DriverRunner;

class PollScheduler {
public:
    /// How long a call into a driver may take before its driver gets a thread of its own.
    static constexpr Micros kHandOffAfter = 50 * 1000;

    explicit PollScheduler(Micros handOffAfter = kHandOffAfter);
    /// stop().
    ~PollScheduler();
    PollScheduler(const PollScheduler&) = delete;
    PollScheduler& operator=(const PollScheduler&) = delete;

    /// Reads `runner` from now on, its first read at once; starts the reader with the first.
    void add(DriverRunner& runner);

    /// Ends the reader, which closes each driver it still reads (drivers asked to stop before are
    /// not read again). Returns once it has: a close() that hangs is handed off like a read, so this
    /// takes at most kHandOffAfter per stuck driver beyond the calls themselves. Drivers that were
    /// handed a thread are stopped as ever, by DriverRunner::stop().
    void stop();

    /// Drivers handed a thread of their own so far.
    std::size_t handedOff() const;

private:
    /// Where a reader is, agreed between it and the overrun timer without the lock: a call that
    /// ends and a hand-off that begins at the same moment settle on one of the two.
    enum class Place { Between, InCall, HandedOff };
    using Reader = std::shared_ptr<std::atomic<Place>>;

    struct Entry {
        DriverRunner* runner;
        Micros due;  ///< steadyMicros()
    };
    struct Read {
        DriverRunner* runner;
        SampleBatch batch;
    };

    void startReader();
    /// The reader's thread; `place` outlives the scheduler (a thread handed off keeps it).
    void read(const Reader& place);
    /// Closes every driver still read here, at the end; false if the thread was handed off meanwhile.
    bool closeAll(const Reader& place, std::unique_lock<std::mutex>& lock);
    /// Hands what was read on to the pipelines, oldest first, letting go of the lock meanwhile;
    /// false if there was nothing to send.
    bool send(std::unique_lock<std::mutex>& lock);
    /// `runner` read something that was not sent yet.
    bool unsent(const DriverRunner& runner) const;
    /// What the thread is after a watched call.
    enum class After {
        StillReader,
        HandedOff,  ///< the runner's own thread: nothing of the scheduler may be touched any more
        Abandoned,  ///< the runner's, which the host abandoned: nothing of the host may be touched
    };
    /// Runs `call` (a call into `runner`) watched by the overrun timer.
    template <typename Call>
    After watched(const Reader& place, DriverRunner& runner, std::unique_lock<std::mutex>& lock, Call&& call);
    /// The overrun timer: hands the reader's thread to the driver it is stuck in.
    void overrun();

    const Micros _handOffAfter;
    mutable std::mutex _mutex;
    std::condition_variable _wake;  ///< the reader, at a new driver or a stop
    std::condition_variable _ended;
    std::vector<Entry> _entries;
    /// Read, not yet handed on; never two of one driver, so that a driver handed a thread of its
    /// own has nothing here and its readings stay in order.
    std::vector<Read> _unsent;
    Reader _place;                    ///< of the current reader
    DriverRunner* _inCall = nullptr;  ///< the driver the current reader is in a call of
    Micros _callBegan = 0;
    std::thread _reader;
    bool _stopping = false;
    bool _readerEnded = false;
    std::size_t _handedOff = 0;
    std::unique_ptr<OverrunTimer> _timer;  ///< with the first reader
};

}  // namespace citysense
