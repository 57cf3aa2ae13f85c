// Lets the host ask a running loop (an event-driven driver, a worker) to stop, and lets that loop
// sleep without missing the request.
#pragma once

#include <citysense/Time.h>

#include <condition_variable>
#include <mutex>

namespace citysense {

class StopToken {
public:
    void requestStop();
    bool stopRequested() const;

    /// Sleeps up to `duration`; returns true as soon as a stop is requested.
    bool waitFor(Micros duration) const;

private:
    mutable std::mutex _mutex;
    mutable std::condition_variable _changed;
    bool _stop = false;
};

}  // namespace citysense
